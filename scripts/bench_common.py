"""What the benchmark scripts share: the Cdr event they post and free ports on 127.0.0.1."""
import socket
import time

CDR = ('{"event_name":"Cdr","starttime":"2021-01-16 06:30:37.471398","endtime":"2021-01-16 06:30:37.471398",'
       '"src":"991","dst":"993","type":"local","disposition":"ANSWERED","billsec":9,"wait":11,'
       '"record":"20210116_1610778618.378.mp3","unique_id":"1610778618.378"}')


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for_port(port, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")
