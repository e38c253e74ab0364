export type { HttpRequest, HttpResponse, HttpTransport } from './api/http-transport.ts';
export { nodeHttpTransport } from './api/http-transport.ts';
export { ipadCapabilities } from './ipad-capabilities.ts';
export { type IpadConfig, type IpadConfigInput, ipadConfigSchema, ipadRiskControlSchema } from './ipad-config.ts';
export { createIpadProvider, type IpadProviderOptions, ipadProvider } from './ipad-provider.ts';
export type { RiskCategory } from './risk/risk-control.ts';
export { packageVersion } from './version.ts';
