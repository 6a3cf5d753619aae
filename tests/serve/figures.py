"""Figures for `statescope serve` (not part of CI): round trip, 1,000 concurrent executions,
memory of 100 open GetActivityTask polls. Usage: figures.py RELEASE_BINARY.
"""

import concurrent.futures
import json
import statistics
import sys
import threading
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from driver import ROLE, Server  # noqa: E402


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def ten_states():
    states = {f"S{i}": {"Type": "Pass", "Result": i, "ResultPath": f"$.s{i}", "Next": f"S{i + 1}"} for i in range(9)}
    states["S9"] = {"Type": "Pass", "End": True}
    return json.dumps({"StartAt": "S0", "States": states})


def main():
    server = Server("-q")
    sfn = server.client()
    arn = sfn.create_state_machine(name="Ten", definition=ten_states(), roleArn=ROLE)["stateMachineArn"]
    # Warm up the connection pool and the server.
    for _ in range(20):
        ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
        while sfn.describe_execution(executionArn=ex)["status"] == "RUNNING":
            pass
    trips = []
    for _ in range(300):
        t = time.perf_counter()
        ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
        while sfn.describe_execution(executionArn=ex)["status"] == "RUNNING":
            pass
        trips.append((time.perf_counter() - t) * 1000)
    print(f"round trip (StartExecution -> DescribeExecution SUCCEEDED, 10 states): median {statistics.median(trips):.2f} ms, "
          f"p90 {sorted(trips)[269]:.2f} ms over {len(trips)}")

    clients = [server.client() for _ in range(16)]
    t = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        arns = list(pool.map(lambda i: clients[i % 16].start_execution(stateMachineArn=arn)["executionArn"], range(1000)))
    started = time.perf_counter() - t
    pending = set(arns)
    while pending:
        page = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING", maxResults=1000)
        pending = {e["executionArn"] for e in page["executions"]} & pending
    total = time.perf_counter() - t
    succeeded = len(sfn.list_executions(stateMachineArn=arn, statusFilter="SUCCEEDED", maxResults=1000)["executions"])
    print(f"1,000 executions started from 16 client threads: all started in {started:.2f} s, all finished in {total:.2f} s "
          f"(SUCCEEDED listed: {succeeded}, page max 1000)")

    activity = sfn.create_activity(name="idle")["activityArn"]
    time.sleep(0.5)
    before = rss_kib(server.proc.pid)
    threads_before = len(open(f"/proc/{server.proc.pid}/status").read().split("Threads:")[1].split()[0:1])
    pollers = [server.client() for _ in range(100)]
    def poll(c):
        try:
            c.get_activity_task(activityArn=activity)
        except Exception:  # cut when the server stops
            pass
    for c in pollers:
        threading.Thread(target=poll, args=(c,), daemon=True).start()
    time.sleep(3)
    after = rss_kib(server.proc.pid)
    threads = int(open(f"/proc/{server.proc.pid}/status").read().split("Threads:")[1].split()[0])
    print(f"100 open GetActivityTask polls: server RSS {before} KiB before, {after} KiB with them open "
          f"(+{after - before} KiB), server threads {threads}")
    del threads_before
    server.stop()

    # Really concurrent: with --clock real each execution sleeps 1 s in a Wait first, so all
    # 1,000 are open at once.
    real = Server("-q", "--clock", "real")
    sfn = real.client()
    states = json.loads(ten_states())
    states["States"]["Nap"] = {"Type": "Wait", "Seconds": 1, "Next": "S0"}
    states["StartAt"] = "Nap"
    arn = sfn.create_state_machine(name="Sleepy", definition=json.dumps(states), roleArn=ROLE)["stateMachineArn"]
    clients = [real.client() for _ in range(16)]
    t = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: clients[i % 16].start_execution(stateMachineArn=arn), range(1000)))
    started = time.perf_counter() - t
    while sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING", maxResults=1000)["executions"]:
        time.sleep(0.01)
    total = time.perf_counter() - t
    done = len(sfn.list_executions(stateMachineArn=arn, statusFilter="SUCCEEDED", maxResults=1000)["executions"])
    print(f"1,000 executions of Wait 1 s + 10 Pass with --clock real: started in {started:.2f} s, all {done} done in {total:.2f} s")
    real.stop()


if __name__ == "__main__":
    main()
