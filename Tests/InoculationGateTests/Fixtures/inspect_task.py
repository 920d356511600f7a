# Writes two logs with inspect_ai itself (the release .ci/run installs): an .eval archive
# and a .json log of one task with 4 samples x 2 epochs and three scorers, one of them
# model-graded. mockllm answers offline; every output carries its usage, so nothing
# downloads a tokenizer.
import sys
from inspect_ai import Task, task, eval
from inspect_ai.dataset import Sample
from inspect_ai.model import ModelOutput, ModelUsage, get_model
from inspect_ai.scorer import match, includes, model_graded_qa
from inspect_ai.solver import generate

def outputs():
    # Answers, then the grader's verdicts; each with its usage, so nothing counts tokens (offline).
    for i in range(1000):
        output = ModelOutput.from_content(model="mockllm/model", content="answer" if i % 3 else "GRADE: C")
        output.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        yield output

@task
def em():
    return Task(
        dataset=[Sample(id=f"q{i}", input=f"Question {i} about the world", target="answer") for i in range(4)],
        solver=generate(),
        scorer=[match(), includes(), model_graded_qa(model=get_model("mockllm/model", custom_outputs=list(outputs())))],
        epochs=2,
    )

model = get_model("mockllm/model", custom_outputs=list(outputs()))
for fmt in ["eval", "json"]:
    log = eval(em(), model=model, log_dir="logs", log_format=fmt, display="none", temperature=0.7, max_tokens=50)[0]
    print(fmt, log.status, len(log.samples or []))
