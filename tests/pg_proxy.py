"""A TCP proxy on loopback between Kestrel and PostgreSQL that can lose a COMMIT's answer.

`cut_after_commit()` arms it: the next COMMIT a client sends (psycopg sends it as a simple
Query message) is passed on to the server, the server's answer is awaited — so the commit
has happened — and then dropped, and the client's connection is cut. With `then_refuse`
every connection is cut and new ones are refused until `heal()`: the server is "away"
just after it committed.
"""

from __future__ import annotations

import socket
import threading

COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"  # 'Q', length 4 + 7, "COMMIT\0"


class CuttingProxy:
    def __init__(self, server_host: str, server_port: int) -> None:
        self._server = (server_host, server_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._links: list[tuple[socket.socket, socket.socket]] = []
        self._armed = 0
        self._skip = 0
        self._refuse_after_cut = False
        self.refusing = False
        self.commits_cut = 0
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    # --- what a test does -----------------------------------------------------------
    def cut_after_commit(self, skip: int = 0, then_refuse: bool = False) -> None:
        """Lose the answer of the COMMIT after the next `skip` ones."""
        with self._lock:
            self._skip = skip
            self._armed = 1
            self._refuse_after_cut = then_refuse

    def heal(self) -> None:
        with self._lock:
            self.refusing = False
            self._armed = 0

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        self._cut_all()

    # --- the plumbing ---------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.refusing:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self._server)
            except OSError:
                client.close()
                continue
            link = (client, upstream)
            with self._lock:
                self._links.append(link)
            state = {"cutting": False}
            threading.Thread(target=self._up, args=(link, state), daemon=True).start()
            threading.Thread(target=self._down, args=(link, state), daemon=True).start()

    def _up(self, link: tuple[socket.socket, socket.socket], state: dict[str, bool]) -> None:
        client, upstream = link
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                data = b""
            if not data:
                self._drop(link)
                return
            if COMMIT in data:
                with self._lock:
                    if self._armed and self._skip:
                        self._skip -= 1
                    elif self._armed:
                        self._armed = 0
                        state["cutting"] = True
            try:
                upstream.sendall(data)
            except OSError:
                self._drop(link)
                return

    def _down(self, link: tuple[socket.socket, socket.socket], state: dict[str, bool]) -> None:
        client, upstream = link
        while True:
            try:
                data = upstream.recv(65536)
            except OSError:
                data = b""
            if not data:
                self._drop(link)
                return
            if state["cutting"]:  # the COMMIT's answer: the server committed; lose it
                with self._lock:
                    self.commits_cut += 1
                    if self._refuse_after_cut:
                        self.refusing = True
                if self.refusing:
                    self._cut_all()
                else:
                    self._drop(link)
                return
            try:
                client.sendall(data)
            except OSError:
                self._drop(link)
                return

    def _drop(self, link: tuple[socket.socket, socket.socket]) -> None:
        for sock in link:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        with self._lock:
            if link in self._links:
                self._links.remove(link)

    def _cut_all(self) -> None:
        with self._lock:
            links = list(self._links)
        for link in links:
            self._drop(link)
