/** An endpoint that accepts TCP connections and never answers: what a black-holed AWS endpoint looks like. */
import { createServer, type Server, type Socket } from "node:net";

/** Listens on a loopback port for the test file (or describe block) that calls it; `url` once started. */
export function useSilentEndpoint(): { readonly url: string } {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });
  return {
    get url() {
      const address = server?.address();
      if (!address || typeof address === "string") throw new Error("the silent endpoint is used outside a test");
      return `http://127.0.0.1:${address.port}`;
    },
  };
}
