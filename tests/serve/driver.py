"""End-to-end tests of `statescope serve` with real AWS clients (boto3 and the AWS CLI).

Usage: driver.py STATESCOPE_BINARY. Starts servers on free loopback ports, runs every test,
prints one line per test and ends with "N passed, N failed"; exits 1 on any failure.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = os.path.abspath(sys.argv[1])
ROLE = "arn:aws:iam::123456789012:role/statescope-test"
REGION = "us-east-1"


class Server:
    """A `statescope serve` process on a free port; stderr is kept for the log assertions."""

    def __init__(self, *args):
        self.proc = subprocess.Popen(
            [BINARY, "serve", "--port", "0", *args],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
        )
        first = self.proc.stderr.readline()
        if "listening on http://" not in first:
            raise RuntimeError(f"server did not start: {first!r}")
        self.endpoint = first.split("listening on ")[1].split()[0]
        self.lines = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stderr:
            self.lines.append(line)

    def wait_log(self, text, timeout=5):
        """The server's stderr log gets `text` (it is read by a thread, so not at once)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(text in line for line in self.lines):
                return
            time.sleep(0.02)
        raise AssertionError(f"no log line with {text!r} in {self.lines[-5:]}")

    def client(self, **config):
        return boto3.client(
            "stepfunctions", endpoint_url=self.endpoint, region_name=REGION,
            aws_access_key_id="test", aws_secret_access_key="test",
            config=Config(retries={"max_attempts": 1}, read_timeout=70, **config),
        )

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def definition(states, start=None, **top):
    return json.dumps({"StartAt": start or next(iter(states)), "States": states, **top})


def create(sfn, name, states, kind="STANDARD", **top):
    return sfn.create_state_machine(name=name, definition=definition(states, **top), roleArn=ROLE, type=kind)["stateMachineArn"]


def wait_done(sfn, arn, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.02)
    raise AssertionError(f"{arn} still running after {timeout} s")


def history(sfn, arn):
    return sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]


def wait_event(sfn, arn, type_name, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for e in history(sfn, arn):
            if e["type"] == type_name:
                return e
        time.sleep(0.02)
    raise AssertionError(f"no {type_name} in {arn}")


def expect_error(code, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response["Error"]
        return e.response["Error"]["Message"]
    raise AssertionError(f"expected {code}")


CALLBACK = {
    "Notify": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                       "MessageBody": {"token.$": "$$.Task.Token", "order.$": "$.order"}},
        "ResultPath": "$.approval", "End": True,
    }
}


def token_from_history(sfn, arn):
    scheduled = wait_event(sfn, arn, "TaskScheduled")
    params = json.loads(scheduled["taskScheduledEventDetails"]["parameters"])
    return params["MessageBody"]["token"]


# ---- the tests --------------------------------------------------------------------------

def test_invalid_definition_gets_aws_error(s):
    sfn = s.client()
    bad = {"W": {"Type": "Wait", "Timestamp": "2016-12-05 21:29:29Z", "End": True}}
    msg = expect_error("InvalidDefinition", create, sfn, "Bad", bad)
    assert msg == ("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: String does not match "
                   "RFC3339 timestamp at /States/W/Timestamp'"), msg
    v = sfn.validate_state_machine_definition(definition=definition(bad))
    assert v["result"] == "FAIL" and v["diagnostics"][0]["location"] == "/States/W/Timestamp", v


def test_start_describe_history(s):
    sfn = s.client()
    arn = create(sfn, "Hello", {
        "Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('Hello, {}!', $.who)"}, "Next": "Pause"},
        "Pause": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
        "Done": {"Type": "Succeed"},
    })
    assert sfn.describe_state_machine(stateMachineArn=arn)["name"] == "Hello"
    ex = sfn.start_execution(stateMachineArn=arn, name="first", input=json.dumps({"who": "Ada"}))["executionArn"]
    assert ex.endswith(":execution:Hello:first"), ex
    d = wait_done(sfn, ex)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"greeting": "Hello, Ada!"}, d
    events = history(sfn, ex)
    types = [e["type"] for e in events]
    assert types == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered",
                     "WaitStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"], types
    assert events[1]["stateEnteredEventDetails"]["name"] == "Greet"
    # The virtual clock: the hour-long Wait passed at once, and the timestamps say an hour.
    waited = (events[4]["timestamp"] - events[3]["timestamp"]).total_seconds()
    assert abs(waited - 3600) < 1, waited
    page = sfn.get_execution_history(executionArn=ex, maxResults=3)
    assert [e["id"] for e in page["events"]] == [1, 2, 3] and "nextToken" in page
    rest = sfn.get_execution_history(executionArn=ex, maxResults=10, nextToken=page["nextToken"])
    assert [e["id"] for e in rest["events"]] == [4, 5, 6, 7, 8] and "nextToken" not in rest
    rev = sfn.get_execution_history(executionArn=ex, reverseOrder=True, maxResults=1)
    assert rev["events"][0]["type"] == "ExecutionSucceeded"
    listed = sfn.list_executions(stateMachineArn=arn)["executions"]
    assert [e["name"] for e in listed] == ["first"]
    assert json.loads(sfn.describe_state_machine_for_execution(executionArn=ex)["definition"])["StartAt"] == "Greet"
    expect_error("ExecutionAlreadyExists", sfn.start_execution, stateMachineArn=arn, name="first")
    expect_error("ExecutionDoesNotExist", sfn.describe_execution,
                 executionArn="arn:aws:states:us-east-1:123456789012:execution:Hello:nope")
    expect_error("StateMachineDoesNotExist", sfn.start_execution,
                 stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:Nope")
    expect_error("InvalidExecutionInput", sfn.start_execution, stateMachineArn=arn, input="{not json")
    s.wait_log(" first  ExecutionSucceeded")


ORDERS = {
    "Charge card": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
                    "ResultSelector": {"chargeId.$": "$.Payload.chargeId"}, "End": True},
}


def test_mock_test_cases(s):
    sfn = s.client()
    arn = create(sfn, "Orders", ORDERS)
    ok = sfn.start_execution(stateMachineArn=arn + "#HappyPath", input="{}")["executionArn"]
    d = wait_done(sfn, ok)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"chargeId": "ch_81"}, d
    bad = sfn.start_execution(stateMachineArn=arn + "#Declined")["executionArn"]
    d = wait_done(sfn, bad)
    assert (d["status"], d["error"]) == ("FAILED", "CardDeclined"), d
    # Without a test case nothing answers the task: the execution fails, saying how to mock it.
    plain = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    d = wait_done(sfn, plain)
    assert d["status"] == "FAILED" and "Charge card" in d["cause"] and "mock" in d["cause"], d
    expect_error("ValidationException", sfn.start_execution, stateMachineArn=arn + "#NoSuchCase")


def test_activity_worker(s):
    sfn = s.client()
    activity = sfn.create_activity(name="double")["activityArn"]
    assert sfn.describe_activity(activityArn=activity)["name"] == "double"
    arn = create(sfn, "Doubler", {"Double": {"Type": "Task", "Resource": activity, "End": True}})
    worker_client = s.client()

    def worker():
        task = worker_client.get_activity_task(activityArn=activity, workerName="w1")
        n = json.loads(task["input"])["n"]
        worker_client.send_task_success(taskToken=task["taskToken"], output=json.dumps({"n": n * 2}))

    t = threading.Thread(target=worker)
    t.start()
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"n": 21}))["executionArn"]
    t.join(15)
    d = wait_done(sfn, ex)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"n": 42}, d
    types = [e["type"] for e in history(sfn, ex)]
    assert types[2:5] == ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"], types
    started = [e for e in history(sfn, ex) if e["type"] == "ActivityStarted"][0]
    assert started["activityStartedEventDetails"] == {"workerName": "w1"}, started
    assert activity in [a["activityArn"] for a in sfn.list_activities()["activities"]]


def test_callback_with_token_from_history(s):
    sfn = s.client()
    arn = create(sfn, "Approve", CALLBACK)
    ex = sfn.start_execution(stateMachineArn=arn, name="o-1", input=json.dumps({"order": "o-1"}))["executionArn"]
    token = token_from_history(sfn, ex)
    # Starting a running Standard execution again with the same name and input is idempotent.
    again = sfn.start_execution(stateMachineArn=arn, name="o-1", input=json.dumps({"order": "o-1"}))
    assert again["executionArn"] == ex, again
    expect_error("ExecutionAlreadyExists", sfn.start_execution, stateMachineArn=arn, name="o-1", input="{}")
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    sfn.send_task_success(taskToken=token, output=json.dumps({"approved": True}))
    d = wait_done(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"order": "o-1", "approval": {"approved": True}}, d
    expect_error("TaskDoesNotExist", sfn.send_task_success, taskToken=token, output="{}")
    ex2 = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"order": "o-2"}))["executionArn"]
    sfn.send_task_failure(taskToken=token_from_history(sfn, ex2), error="Rejected", cause="no budget")
    d = wait_done(sfn, ex2)
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "Rejected", "no budget"), d


def test_heartbeat_timeout(s):
    sfn = s.client()
    activity = sfn.create_activity(name="slow")["activityArn"]
    arn = create(sfn, "Slow", {"Work": {"Type": "Task", "Resource": activity, "HeartbeatSeconds": 1, "End": True}})
    # A worker that beats in time keeps the task alive past its heartbeat limit...
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    task = sfn.get_activity_task(activityArn=activity)
    for _ in range(3):
        time.sleep(0.5)
        sfn.send_task_heartbeat(taskToken=task["taskToken"])
    sfn.send_task_success(taskToken=task["taskToken"], output='"done"')
    assert wait_done(sfn, ex)["status"] == "SUCCEEDED"
    # ...one that goes quiet loses it after HeartbeatSeconds, in real time.
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    task = sfn.get_activity_task(activityArn=activity)
    started = time.time()
    d = wait_done(sfn, ex, timeout=10)
    assert (d["status"], d["error"]) == ("FAILED", "States.HeartbeatTimeout"), d
    assert 0.8 <= time.time() - started <= 5, time.time() - started
    expect_error("TaskTimedOut", sfn.send_task_success, taskToken=task["taskToken"], output="{}")


def test_stop_execution(s):
    sfn = s.client()
    arn = create(sfn, "Stoppable", CALLBACK)
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"order": "o-9"}))["executionArn"]
    token = token_from_history(sfn, ex)
    sfn.stop_execution(executionArn=ex, error="Operator", cause="changed my mind")
    d = wait_done(sfn, ex)
    assert (d["status"], d["error"], d["cause"]) == ("ABORTED", "Operator", "changed my mind"), d
    last = history(sfn, ex)[-1]
    assert last["type"] == "ExecutionAborted" and last["executionAbortedEventDetails"]["error"] == "Operator", last
    expect_error("TaskDoesNotExist", sfn.send_task_success, taskToken=token, output="{}")


def test_test_state_inspection_levels(s):
    # TestState carries the API model's `sync-` host prefix, like StartSyncExecution.
    sfn = s.client(inject_host_prefix=False)
    state = json.dumps({"Type": "Pass", "InputPath": "$.order", "Parameters": {"id.$": "$.id", "n": 1},
                        "ResultPath": "$.out", "Next": "Later"})
    inp = json.dumps({"order": {"id": "A7"}})
    info = sfn.test_state(definition=state, input=inp, roleArn=ROLE, inspectionLevel="INFO")
    assert info["status"] == "SUCCEEDED" and info["nextState"] == "Later", info
    # ResultPath writes into the state's raw input, not into what InputPath selected.
    after = {"order": {"id": "A7"}, "out": {"id": "A7", "n": 1}}
    assert json.loads(info["output"]) == after, info
    assert "inspectionData" not in info, info
    for level in ("DEBUG", "TRACE"):
        r = sfn.test_state(definition=state, input=inp, roleArn=ROLE, inspectionLevel=level)
        data = r["inspectionData"]
        assert json.loads(data["afterInputPath"]) == {"id": "A7"}, data
        assert json.loads(data["afterParameters"]) == {"id": "A7", "n": 1}, data
        assert json.loads(data["afterResultPath"]) == after, data
        assert json.loads(data["input"]) == {"order": {"id": "A7"}}, data
    task = json.dumps({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                       "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                       "Catch": [{"ErrorEquals": ["Boom"], "Next": "Handle"}], "End": True})
    r = sfn.test_state(definition=task, input="{}", roleArn=ROLE,
                       mock={"errorOutput": {"error": "Boom", "cause": "it broke"}})
    assert (r["status"], r["error"], r["nextState"]) == ("CAUGHT_ERROR", "Boom", "Handle"), r
    r = sfn.test_state(definition=task, input="{}", roleArn=ROLE, mock={"result": json.dumps({"Payload": 5})},
                       inspectionLevel="DEBUG")
    assert r["status"] == "SUCCEEDED" and json.loads(r["inspectionData"]["result"]) == {"Payload": 5}, r
    expect_error("InvalidDefinition", sfn.test_state, definition='{"Type": "Pass", "Bogus": 1, "End": true}',
                 roleArn=ROLE)
    # A retrier that matches: AWS answers RETRIABLE instead of retrying.
    flaky = json.dumps({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
                        "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 2}], "End": True})
    r = sfn.test_state(definition=flaky, roleArn=ROLE,
                       mock={"errorOutput": {"error": "Lambda.TooManyRequestsException", "cause": "slow down"}})
    assert (r["status"], r["error"]) == ("RETRIABLE", "Lambda.TooManyRequestsException"), r
    # stateName picks a state of a whole machine; variables are in scope; JSONata works.
    machine = json.dumps({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Output": "{% $states.input.n * $factor %}", "End": True}}})
    r = sfn.test_state(definition=machine, stateName="B", input='{"n": 4}', variables='{"factor": 10}',
                       roleArn=ROLE, inspectionLevel="DEBUG")
    assert r["status"] == "SUCCEEDED" and json.loads(r["output"]) == 40 and "nextState" not in r, r
    expect_error("ValidationException", sfn.test_state, definition=machine, stateName="Nope", roleArn=ROLE)


JSONATA_TASK = {"QueryLanguage": "JSONata", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "foo", "Payload": "bar"}, "End": True}
MOCK_ERROR = {"errorOutput": {"error": "MockException", "cause": "Mock the cause of the error."}}


def test_test_state_retry_and_catch_details(s):
    sfn = s.client(inject_host_prefix=False)
    retry = json.dumps({**JSONATA_TASK, "Retry": [
        {"ErrorEquals": ["MockException"], "IntervalSeconds": 1, "MaxAttempts": 5, "BackoffRate": 2.0}]})
    r = sfn.test_state(definition=retry, inspectionLevel="DEBUG", mock=MOCK_ERROR,
                       stateConfiguration={"retrierRetryCount": 4})
    assert (r["status"], r["error"]) == ("RETRIABLE", "MockException"), r
    assert r["inspectionData"]["errorDetails"] == {"retryIndex": 0, "retryBackoffIntervalSeconds": 16}, r
    r = sfn.test_state(definition=retry, inspectionLevel="DEBUG", mock=MOCK_ERROR,
                       stateConfiguration={"retrierRetryCount": 5})
    assert r["status"] == "FAILED" and r["inspectionData"]["errorDetails"] == {"retryIndex": 0}, r
    catch = json.dumps({**JSONATA_TASK, "Catch": [
        {"ErrorEquals": ["Other"], "Next": "HandleOther"},
        {"ErrorEquals": ["MockException"], "Output": "{% $states.errorOutput %}", "Next": "HandleMockError"}]})
    r = sfn.test_state(definition=catch, inspectionLevel="TRACE", mock=MOCK_ERROR)
    assert (r["status"], r["nextState"]) == ("CAUGHT_ERROR", "HandleMockError"), r
    assert r["inspectionData"]["errorDetails"] == {"catchIndex": 1}, r
    assert json.loads(r["output"]) == {"Error": "MockException", "Cause": "Mock the cause of the error."}, r


def test_test_state_map_parallel_and_callback_with_mocks(s):
    sfn = s.client(inject_host_prefix=False)
    parallel = json.dumps({"Type": "Parallel", "ResultPath": "$.results", "End": True, "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Fail", "Error": "NeverRuns"}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": True}}}]})
    r = sfn.test_state(definition=parallel, input='{"k": 1}', inspectionLevel="DEBUG",
                       mock={"result": json.dumps(["one", "two"])})
    assert r["status"] == "SUCCEEDED" and json.loads(r["output"]) == {"k": 1, "results": ["one", "two"]}, r
    assert sorted(r["inspectionData"]) == ["afterResultPath", "afterResultSelector", "input"], r
    msg = expect_error("InvalidDefinition", sfn.test_state, definition=parallel)
    assert msg.startswith("TestState API does not support Map or Parallel states"), msg
    mapped = json.dumps({"Type": "Map", "ItemsPath": "$.items", "ToleratedFailureCount": 1, "MaxConcurrency": 2,
                         "ItemProcessor": {"StartAt": "Work", "States": {"Work": {
                             "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}}},
                         "Catch": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Next": "TooMany"}],
                         "Next": "Done"})
    inp = json.dumps({"items": ["a", "b", "c"]})
    r = sfn.test_state(definition=mapped, input=inp, inspectionLevel="DEBUG", mock={"result": "[1, 1, 1]"},
                       stateConfiguration={"mapIterationFailureCount": 1})
    assert (r["status"], r["nextState"], json.loads(r["output"])) == ("SUCCEEDED", "Done", [1, 1, 1]), r
    data = r["inspectionData"]
    assert (data["maxConcurrency"], data["toleratedFailureCount"]) == (2, 1), data
    assert json.loads(data["afterItemsPath"]) == ["a", "b", "c"], data
    r = sfn.test_state(definition=mapped, input=inp, inspectionLevel="DEBUG", mock={"result": "[0, 0, 1]"},
                       stateConfiguration={"mapIterationFailureCount": 2})
    assert (r["status"], r["nextState"], r["error"]) == (
        "CAUGHT_ERROR", "TooMany", "States.ExceedToleratedFailureThreshold"), r
    assert r["inspectionData"]["errorDetails"] == {"catchIndex": 0}, r
    callback = json.dumps(CALLBACK["Notify"])
    r = sfn.test_state(definition=callback, input='{"order": "o-5"}', mock={"result": '{"approved": true}'})
    assert json.loads(r["output"]) == {"order": "o-5", "approval": {"approved": True}}, r
    expect_error("ValidationException", sfn.test_state, definition=callback, roleArn=ROLE)
    msg = expect_error("ValidationException", sfn.test_state, definition='{"Type": "Pass", "End": true}',
                       mock={"result": "1"})
    assert msg == "State type 'Pass' is not supported when a mock is specified", msg


def test_express_executions_are_not_described(s):
    sfn = s.client()
    arn = create(sfn, "Brief", {"P": {"Type": "Pass", "End": True}}, kind="EXPRESS")
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert ":express:Brief:" in ex, ex
    for call in (sfn.describe_execution, sfn.get_execution_history, sfn.stop_execution):
        msg = expect_error("InvalidArn", call, executionArn=ex)
        assert msg == "Invalid Arn: 'Resource type not valid in this context: express'", msg
    expect_error("StateMachineTypeNotSupported", sfn.list_executions, stateMachineArn=arn)


def test_start_sync_execution_express(s):
    sfn = s.client(inject_host_prefix=False)
    arn = create(sfn, "Quick", {"Add": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)",
                                                                 "id.$": "$$.Execution.Id"},
                                        "End": True}}, kind="EXPRESS")
    r = sfn.start_sync_execution(stateMachineArn=arn, input=json.dumps({"a": 2, "b": 3}))
    assert r["status"] == "SUCCEEDED" and json.loads(r["output"]) == {"sum": 5, "id": r["executionArn"]}, r
    assert ":express:Quick:" in r["executionArn"], r
    std = create(sfn, "NotExpress", {"P": {"Type": "Pass", "End": True}})
    expect_error("StateMachineTypeNotSupported", sfn.start_sync_execution, stateMachineArn=std)


def test_protocol_errors(s):
    def post(body, target):
        req = urllib.request.Request(s.endpoint, data=body, method="POST",
                                     headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0"})
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())
    assert post(b"{", "AWSStepFunctions.ListStateMachines")[1]["__type"] == "SerializationException"
    assert post(b"{}", "AWSStepFunctions.Nope")[1]["__type"] == "UnknownOperationException"
    code, body = post(b'{"name": 5}', "AWSStepFunctions.CreateActivity")
    assert (code, body["__type"]) == (400, "SerializationException"), body
    code, body = post(b"{" + b" " * (2 * 1024 * 1024) + b"}", "AWSStepFunctions.ListStateMachines")
    assert code == 413 and body["__type"] == "RequestEntityTooLargeException", (code, body)
    assert post(b"{}", "AWSStepFunctions.ListStateMachines")[0] == 200, "still serving"


def test_restart_with_store():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "state.db")
        first = Server("--store", db, "-q")
        sfn = first.client()
        arn = create(sfn, "Durable", CALLBACK)
        done = sfn.start_execution(stateMachineArn=arn, name="finished", input=json.dumps({"order": "a"}))
        sfn.send_task_success(taskToken=token_from_history(sfn, done["executionArn"]), output="{}")
        wait_done(sfn, done["executionArn"])
        ex = sfn.start_execution(stateMachineArn=arn, name="waiting", input=json.dumps({"order": "b"}))["executionArn"]
        token = token_from_history(sfn, ex)
        before = history(sfn, ex)
        activity = sfn.create_activity(name="idle")["activityArn"]
        poller = first.client()

        def poll():
            try:
                poller.get_activity_task(activityArn=activity)
            except Exception:  # cut by the server's stop: expected
                pass
        threading.Thread(target=poll, daemon=True).start()
        time.sleep(0.2)
        stopping = time.time()
        assert first.stop() == 0, "Ctrl-C stops cleanly"
        assert time.time() - stopping < 5, "an open 60 s poll does not hold the server"
        second = Server("--store", db, "-q")
        try:
            sfn = second.client()
            assert [m["name"] for m in sfn.list_state_machines()["stateMachines"]] == ["Durable"]
            assert sfn.describe_execution(executionArn=done["executionArn"])["status"] == "SUCCEEDED"
            assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
            assert history(sfn, ex) == before, "the history survived as it was"
            sfn.send_task_success(taskToken=token, output=json.dumps({"ok": 1}))
            d = wait_done(sfn, ex)
            assert d["status"] == "SUCCEEDED" and json.loads(d["output"])["approval"] == {"ok": 1}, d
        finally:
            second.stop()


def test_real_clock_sleeps():
    real = Server("--clock", "real", "-q")
    try:
        sfn = real.client()
        arn = create(sfn, "Sleepy", {"Nap": {"Type": "Wait", "Seconds": 1, "End": True}})
        started = time.time()
        d = wait_done(sfn, sfn.start_execution(stateMachineArn=arn)["executionArn"])
        assert d["status"] == "SUCCEEDED" and time.time() - started >= 0.95, time.time() - started
    finally:
        real.stop()


def test_aws_cli_smoke(s):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION=REGION,
               AWS_DISABLE_HOST_PREFIX_INJECTION="true", AWS_PAGER="")
    aws = os.path.join(os.path.dirname(sys.executable), "aws")

    def cli(*args):
        out = subprocess.run([aws, "stepfunctions", "--endpoint-url", s.endpoint, *args, "--output", "json"],
                             env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout) if out.stdout.strip() else {}

    arn = cli("create-state-machine", "--name", "CliMachine", "--role-arn", ROLE, "--type", "EXPRESS",
              "--definition", definition({"P": {"Type": "Pass", "Result": {"via": "cli"}, "End": True}}))["stateMachineArn"]
    assert "CliMachine" in [m["name"] for m in cli("list-state-machines")["stateMachines"]]
    r = cli("start-sync-execution", "--state-machine-arn", arn, "--input", "{}")
    assert r["status"] == "SUCCEEDED" and json.loads(r["output"]) == {"via": "cli"}, r


def main():
    tests = [(n, f) for n, f in globals().items() if n.startswith("test_")]
    passed = failed = 0
    server = Server("--mock-config", os.path.join(HERE, "mocks.json"))
    try:
        for name, fn in tests:
            started = time.time()
            try:
                fn(server) if fn.__code__.co_argcount else fn()
                passed += 1
                print(f"ok   {name} ({time.time() - started:.2f} s)", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
    finally:
        server.stop()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
