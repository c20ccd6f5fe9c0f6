"""A busy neighbour on the machine: one process that spins on the CPU for DUTY of every 10 ms,
for SECONDS, then ends. Issue 9's runs of a session far below its baseline's speed, made at
will: the neighbour slows the reference kernel and the model alike, for the whole run.

    python3 report/data/spread-amx/neighbour.py SECONDS [DUTY]      # DUTY 0-1, default 1
"""
import sys
import time

seconds = float(sys.argv[1])
duty = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
end = time.monotonic() + seconds
while (now := time.monotonic()) < end:
    busy_until = now + 0.01 * duty
    while time.monotonic() < busy_until:
        pass
    if duty < 1:
        time.sleep(0.01 * (1 - duty))
