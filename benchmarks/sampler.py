"""Peak memory and CPU time of a process and all its descendants, sampled from /proc by
another process.

``TreeSampler().start()`` starts ``python sampler.py PID`` (this file), which reads
``/proc`` every 0.2 s until its standard input is closed (``stop()``), then prints what it
saw as one JSON line. It is a process and not a thread of the measured one on purpose:
the package forks its workers only while no other thread runs (``workers.start_method``),
so a sampling thread would change what is measured.

Worker processes started by a fork server are not the measured process's children, so
``getrusage`` never sees them; sampling the whole tree does. Linux only: elsewhere
``available`` is False and the getrusage figures stand alone.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys

INTERVAL = 0.2  # a scan of /proc takes a few ms: keep it rare


class TreeSampler:
    """``peak_bytes`` (summed RSS), ``peak_pss_bytes`` (summed PSS) and ``cpu`` (pid -> CPU
    seconds of each descendant) of this process's tree, once ``stop()`` returned."""

    available = os.path.exists("/proc/self/smaps_rollup") or os.path.exists("/proc/self/stat")

    def __init__(self) -> None:
        self.peak_bytes, self.peak_pss_bytes, self.cpu = 0, 0, {}
        self._proc = None

    def start(self) -> None:
        self._proc = subprocess.Popen([sys.executable, __file__, str(os.getpid())], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
        self._proc.stdout.readline()  # "ready": it has taken its first sample

    def stop(self) -> None:
        out, _ = self._proc.communicate()  # closes its stdin: it samples once more and reports
        got = json.loads(out.strip().splitlines()[-1])
        self.peak_bytes, self.peak_pss_bytes = got["peak_bytes"], got["peak_pss_bytes"]
        self.cpu = {int(pid): s for pid, s in got["cpu"].items()}


class _Tree:
    def __init__(self, root: int, me: int):
        self.root, self.me = root, me
        self.peak_bytes = self.peak_pss_bytes = 0
        self.cpu: dict[int, float] = {}
        self._page, self._tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")

    def sample(self) -> None:
        stats = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    with open(f"/proc/{name}/stat", "rb") as f:
                        fields = f.read().rsplit(b")", 1)[1].split()
                except OSError:  # the process ended meanwhile
                    continue
                stats[int(name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid, utime + stime
        tree, total, pss = [self.root], 0, 0
        for pid in tree:
            tree += [child for child, (ppid, _) in stats.items() if ppid == pid and child != self.me]
            try:
                with open(f"/proc/{pid}/statm", "rb") as f:
                    total += int(f.read().split()[1]) * self._page
                pss += _pss(pid)
            except OSError:
                continue
            if pid != self.root and pid in stats:
                self.cpu[pid] = stats[pid][1] / self._tick
        self.peak_bytes = max(self.peak_bytes, total)
        self.peak_pss_bytes = max(self.peak_pss_bytes, pss)


def _pss(pid: int) -> int:
    """Proportional set size: resident pages, each shared page divided among the processes
    sharing it (forked workers share what they inherited). 0 where unknown."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main(root: int) -> None:
    tree = _Tree(root, os.getpid())
    tree.sample()
    print("ready", flush=True)
    while not select.select([sys.stdin], [], [], INTERVAL)[0]:
        tree.sample()
    sys.stdin.read()
    tree.sample()
    print(json.dumps({"peak_bytes": tree.peak_bytes, "peak_pss_bytes": tree.peak_pss_bytes, "cpu": tree.cpu}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
