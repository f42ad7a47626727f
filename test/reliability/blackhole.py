# An endpoint that blackholes connect: a listening socket whose backlog is full and which never accepts, so the kernel
# drops further SYNs and a client's connect() hangs (as with a firewall that drops packets). Prints the port, then waits.
import socket, sys, time

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(0)
port = server.getsockname()[1]
fillers = []
for _ in range(8):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    fillers.append(c)
print(port, flush=True)
time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 60)
