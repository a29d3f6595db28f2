import { createServer, type Server } from 'node:http';

/** One sendMessage call as the Telegram Bot API would have received it. */
export interface TelegramMessage {
  readonly token: string;
  readonly chatId: string;
  readonly text: string;
  readonly parseMode: string | undefined;
  readonly disableNotification: boolean;
}

export interface TelegramStandIn {
  readonly url: string;
  readonly messages: TelegramMessage[];
  close(): Promise<void>;
}

/**
 * A local HTTP server answering the two Bot API methods Alertmanager calls (getMe,
 * sendMessage) the way api.telegram.org does, recording each message. It is the only
 * stand-in of the alert test: the real servers cannot be reached from the test machine.
 */
export const startTelegramStandIn = async (): Promise<TelegramStandIn> => {
  const messages: TelegramMessage[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const match = /^\/bot([^/]+)\/(\w+)/.exec(request.url ?? '');
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (match === null) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token = '', method = ''] = match;
      const raw = Buffer.concat(chunks).toString();
      const type = request.headers['content-type'] ?? '';
      const params: Record<string, unknown> = type.includes('json')
        ? (JSON.parse(raw || '{}') as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(raw));
      if (method === 'getMe')
        return reply(200, {
          ok: true,
          result: { id: 42, is_bot: true, first_name: 'memelab', username: 'memelab_bot' },
        });
      if (method === 'sendMessage') {
        const chatId = String(params.chat_id);
        messages.push({
          token,
          chatId,
          text: String(params.text),
          parseMode: params.parse_mode === undefined ? undefined : String(params.parse_mode),
          disableNotification: String(params.disable_notification) === 'true',
        });
        return reply(200, {
          ok: true,
          result: {
            message_id: messages.length,
            date: Math.floor(Date.now() / 1000),
            chat: { id: Number(chatId), type: 'group' },
          },
        });
      }
      return reply(404, { ok: false, error_code: 404, description: `no method ${method}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
