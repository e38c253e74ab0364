import * as v from 'valibot';

/** `providers.pchook.*` — a Windows host running WeChat with WeChatFerry injected. */
export const pchookConfigSchema = v.pipe(
  v.object({
    enabled: v.optional(v.boolean(), false),
    /** WeChatFerry's command socket; messages arrive on the next port. Its default port is 10086. */
    rpc_endpoint: v.optional(
      v.pipe(v.string(), v.regex(/^tcp:\/\/[^\s:/]+:\d{1,5}$/, 'must look like tcp://HOST:PORT (WeChatFerry listens on 10086)')),
      'tcp://127.0.0.1:10086',
    ),
    /** A directory shared with the Windows host, as this machine sees it (for sending and receiving files). */
    shared_dir: v.optional(v.pipe(v.string(), v.nonEmpty())),
    /** The same directory as the Windows host sees it, e.g. `C:\\wcf-share`. */
    windows_dir: v.optional(v.pipe(v.string(), v.nonEmpty())),
  }),
  v.forward(
    v.check(
      input => (input.shared_dir === undefined) === (input.windows_dir === undefined),
      'shared_dir and windows_dir name the same directory from both sides: set both or neither',
    ),
    ['windows_dir'],
  ),
);

export type PchookConfigInput = v.InferInput<typeof pchookConfigSchema>;
export type PchookConfig = v.InferOutput<typeof pchookConfigSchema>;
