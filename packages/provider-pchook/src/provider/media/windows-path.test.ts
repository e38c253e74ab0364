import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWindowsPathMapper, safeWindowsFileName, windowsBaseName } from './windows-path.ts';

describe('createWindowsPathMapper', () => {
  const mapper = createWindowsPathMapper('/srv/share', 'C:\\wcf-share\\');

  it('maps host paths inside the shared directory, with either separator and in any case', () => {
    expect(mapper.toLocal('C:\\wcf-share\\a\\b.jpg')).toBe(join('/srv/share', 'a', 'b.jpg'));
    expect(mapper.toLocal('c:/WCF-SHARE/a/b.jpg')).toBe(join('/srv/share', 'a', 'b.jpg'));
    expect(mapper.toLocal('C:/wcf-share')).toBe('/srv/share');
  });

  it('refuses paths outside it, or climbing out of it', () => {
    expect(mapper.toLocal('C:\\wcf-shared\\x.jpg')).toBeUndefined();
    expect(mapper.toLocal('D:\\other\\x.jpg')).toBeUndefined();
    expect(mapper.toLocal('C:\\wcf-share\\..\\Windows\\x.dll')).toBeUndefined();
  });

  it('builds host paths with backslashes', () => {
    expect(mapper.windowsDir).toBe('C:\\wcf-share');
    expect(mapper.toWindows('pchook', 'out', 'a.png')).toBe('C:\\wcf-share\\pchook\\out\\a.png');
  });

  it('works for UNC shares', () => {
    const unc = createWindowsPathMapper('/mnt/nas', '\\\\nas\\wechat');
    expect(unc.toLocal('\\\\nas\\wechat\\x.png')).toBe(join('/mnt/nas', 'x.png'));
    expect(unc.toLocal('//nas/wechat/x.png')).toBe(join('/mnt/nas', 'x.png'));
  });
});

describe('file names', () => {
  it('takes the last segment of either separator', () => {
    expect(windowsBaseName('C:/a/b/c.mp3')).toBe('c.mp3');
    expect(windowsBaseName('C:\\a\\b\\c.mp3')).toBe('c.mp3');
  });

  it('makes names safe for Windows', () => {
    expect(safeWindowsFileName('report: Q1/Q2?.pdf', 'file')).toBe('report_ Q1_Q2_.pdf');
    expect(safeWindowsFileName('CON.txt', 'file')).toBe('file');
    expect(safeWindowsFileName(' .. ', 'file')).toBe('file');
    expect(safeWindowsFileName('报告.docx', 'file')).toBe('报告.docx');
  });
});
