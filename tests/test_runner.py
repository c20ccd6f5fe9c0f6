"""The pieces of ovperf.runner that need no device: reading a model for a batch size."""
from __future__ import annotations

import pytest

from ovperf.runner import CompileError, read_for_batch


class StaticModel:
    """What OpenVINO's Model does when its batch is fixed: reshape raises with a C++ trace."""

    def reshape(self, shape):
        raise RuntimeError("Exception from src/core/src/model.cpp:123:\nCheck 'false' failed at x.cpp\n"
                           "Requested reshape of a static dimension 1 to 4")


class Core:
    def __init__(self, model):
        self.model = model

    def read_model(self, path):
        return self.model


def test_a_model_with_a_fixed_batch_is_one_line_naming_the_batch():
    with pytest.raises(CompileError) as info:
        read_for_batch(Core(StaticModel()), "model.xml", 4, 640)
    message = str(info.value)
    assert message.startswith("the model cannot take batch 4 (") and "\n" not in message
    assert "Requested reshape of a static dimension 1 to 4" in message and "Exception from src" not in message


def test_a_reshapable_model_comes_back_reshaped():
    shapes = []

    class Dynamic:
        def reshape(self, shape):
            shapes.append(shape)

    model = Dynamic()
    assert read_for_batch(Core(model), "model.xml", 2, 320) is model and shapes == [[2, 3, 320, 320]]


def test_an_inference_error_is_one_line():
    from ovperf.runner import InferError, infer_outputs

    class Broken:
        def create_infer_request(self):
            class Request:
                def infer(self, batch):
                    raise RuntimeError("Exception from src/inference/src/infer_request.cpp:1:\n"
                                       "Check 'x' failed\nInput blob size is not equal to the network input size")
            return Request()

    with pytest.raises(InferError) as info:
        infer_outputs(Broken(), None, "sync", 1)
    assert str(info.value) == "inference failed: Input blob size is not equal to the network input size"


def test_the_pytorch_row_is_timed_in_rounds_after_its_first_inference_and_warm_up():
    from ovperf.runner import time_in_process

    class Fake:  # a runner whose every frame takes 10 ms
        def __init__(self):
            self.latencies_ms, self.rounds, self.closed = [], 0, False

        def first_inference_ms(self):
            return 50.0

        def run_round(self):
            import time

            self.rounds += 1
            for _ in range(2):
                time.sleep(0.01)
                self.latencies_ms.append(10.0)

        def close(self):
            self.closed = True

    fake = Fake()
    record = time_in_process(fake, frames=2, rounds=3, warmup_rounds=1)
    assert fake.rounds == 4 and fake.closed  # one warm-up round, outside the timing
    assert record["rounds"] == 3 and len(record["fps_rounds"]) == 3 and record["fps_processes"] == [record["fps_rounds"]]
    assert all(0 < fps <= 100 for fps in record["fps_rounds"])  # 2 frames in at least 20 ms, however fast the machine
    assert record["first_infer_ms"] == 50.0 and record["p50_ms"] == 10.0
