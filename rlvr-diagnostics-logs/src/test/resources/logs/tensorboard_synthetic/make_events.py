# Writes the synthetic TensorBoard event file used by TensorBoardReaderTest, with tensorboardX
# (a real event writer from PyPI), in the way verl's tensorboard tracker logs its metrics:
# one add_scalar per metric key per step. Values are chosen by formula, so that the test can
# check them independently: entropy 0.5 - 0.02*step, score 0.05*step, num_gen_batches 1 + step % 3.
import numpy as np
from tensorboardX import SummaryWriter
from tensorboardX.proto.summary_pb2 import Summary, SummaryMetadata
from tensorboardX.proto.tensor_pb2 import TensorProto
from tensorboardX.proto.tensor_shape_pb2 import TensorShapeProto


def tensor_scalar(tag, value):
    """A scalar as a rank-0 float tensor with the scalars plugin's metadata (the "new style")."""
    tensor = TensorProto(dtype="DT_FLOAT", float_val=[value], tensor_shape=TensorShapeProto())
    metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="scalars"))
    return Summary(value=[Summary.Value(tag=tag, tensor=tensor, metadata=metadata)])

w = SummaryWriter("out", flush_secs=1)
for step in range(1, 21):
    w.add_scalar("actor/entropy", 0.5 - 0.02 * step, step)
    w.add_scalar("critic/score/mean", 0.05 * step, step)
    # The tensor form (TensorProto float_val) that newer writers use for scalars.
    w._get_file_writer().add_summary(tensor_scalar("train/num_gen_batches", 1 + step % 3), step)
    if step % 10 == 0:
        w.add_histogram("actor/log_probs", np.linspace(-1, 0, 10), step)
w.add_text("config", "actor_rollout_ref.rollout.n=5", 0)
w.close()
