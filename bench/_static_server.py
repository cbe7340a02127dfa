"""The fetch benchmark's default server: as cheap as a static file server.

    python3 bench/_static_server.py FILE REPEAT [TLS_DIR]

Listens on 127.0.0.1 (a free port, printed on the first line of stdout) and
answers every request, whatever it asks, with `200`, a `content-length`, a
strong `etag` and the whole body, then closes. The body is FILE, or with
REPEAT > 0 the bytes of FILE sent REPEAT times (a 4 GiB body without a 4 GiB
file). Plain HTTP sends with `sendfile(2)` (`socket.sendfile`): the kernel
copies page cache to socket, no user-space copy, so the server costs the
client's machine as little as nginx or any real catalog server would. With
TLS_DIR (holding `cert.pem` and `key.pem`) it speaks HTTPS; Python's `ssl`
then reads the file and encrypts in user space (no kernel TLS), 256 KiB at a
time.

See `fetch_bench.ts` (`server=deno` selects its former Deno.listen server).
"""

import os
import socket
import ssl
import sys
import threading

TLS_SEND_BYTES = 256 << 10


def send_body(conn, path, repeat):
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        for _ in range(max(repeat, 1)):
            if isinstance(conn, ssl.SSLSocket):
                f.seek(0)
                while True:
                    piece = f.read(TLS_SEND_BYTES)
                    if not piece:
                        break
                    conn.sendall(piece)
            else:
                conn.sendfile(f, 0, size)


def serve_one(conn, path, repeat, head):
    try:
        request = b""
        while b"\r\n\r\n" not in request:
            piece = conn.recv(16 << 10)
            if not piece:
                return
            request += piece
        conn.sendall(head)
        send_body(conn, path, repeat)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    path, repeat = sys.argv[1], int(sys.argv[2])
    tls_dir = sys.argv[3] if len(sys.argv) > 3 else None
    size = os.stat(path).st_size * max(repeat, 1)
    head = (
        f"HTTP/1.1 200 OK\r\ncontent-length: {size}\r\n"
        'etag: "bench"\r\nconnection: close\r\n\r\n'
    ).encode()
    listener = socket.create_server(("127.0.0.1", 0))
    if tls_dir is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(
            os.path.join(tls_dir, "cert.pem"), os.path.join(tls_dir, "key.pem")
        )
        listener = context.wrap_socket(listener, server_side=True)
    print(listener.getsockname()[1], flush=True)
    while True:
        try:
            conn, _ = listener.accept()
        except (OSError, ssl.SSLError):
            continue  # a failed handshake ends only that connection
        threading.Thread(
            target=serve_one, args=(conn, path, repeat, head), daemon=True
        ).start()


if __name__ == "__main__":
    main()
