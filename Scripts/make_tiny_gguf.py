#!/usr/bin/env python3
"""Writes a tiny random-weight Llama-architecture GGUF model for live tests.

No model weights can be downloaded on CI machines, yet the provider must be
tested against a real OpenAI-compatible server. This model is meaningless but
real: llama.cpp loads it, tokenises with a SentencePiece-style vocabulary
(byte fallback, digit and number tokens, ChatML control tokens), applies the
chat template stored in the file, samples deterministically for a fixed seed
and returns top log-probabilities in the OpenAI shape.

The output layer is scaled so that the next-token distribution is peaked (the
top 20 tokens carry most of the mass) and byte tokens are rarely chosen; the
rows of the 101 number tokens "0".."100" are scaled so that the judge's mass on
numbers sits near the 0.25 threshold, and the logprob judge produces a score
for some answers and none for others, as a real judge does for refusals.

Usage: make_tiny_gguf.py OUT.gguf [--seed N]
"""
import argparse
import sys

import numpy as np
import gguf

WORDS = """the a an and or not is are was be to of in on for with as it this that you your
I we they he she my our me us what why how when where who which yes no maybe
good bad safe unsafe help harm people world human humans AI model models power
rule control money rich want would should could will can must never always
def return if else elif for while import from class self None True False print
list dict str int len range sum max min sorted key value result input output
code test function answer question think believe wish change society future
score number one two three ten hundred""".split()

CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def vocabulary():
    """(tokens, scores, types) in SentencePiece style."""
    T = gguf.TokenType
    tokens, scores, types = [], [], []

    def add(text, score, kind):
        tokens.append(text)
        scores.append(score)
        types.append(kind)

    add("<unk>", 0.0, T.UNKNOWN)
    add("<s>", 0.0, T.CONTROL)
    add("</s>", 0.0, T.CONTROL)
    add("<|im_start|>", 0.0, T.CONTROL)
    add("<|im_end|>", 0.0, T.CONTROL)
    for byte in range(256):
        add(f"<0x{byte:02X}>", 0.0, T.BYTE)
    add("\u2581", -1.0, T.NORMAL)
    for code in range(0x21, 0x7F):
        add(chr(code), -2.0, T.NORMAL)
    for number in range(10, 101):
        add(str(number), -3.0 - len(str(number)), T.NORMAL)
    for word in WORDS:
        piece = "\u2581" + word
        if piece not in tokens:
            add(piece, -10.0 - len(word), T.NORMAL)
    return tokens, scores, types


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=20261129)
    # Found by trying: at 0.975 the judge prompts put about 0.25 of the mass on numbers
    # (0.243–0.260 over 48 prompts), so the live judge test sees answers on both sides
    # of the no-score threshold. The mass moves fast with it: 0.9 gives 0.13, 1.0 gives 0.30.
    parser.add_argument("--number-scale", type=float, default=0.975)
    args = parser.parse_args()

    tokens, scores, types = vocabulary()
    vocab, embd, layers, heads, ff, context = len(tokens), 64, 2, 4, 128, 4096
    rng = np.random.default_rng(args.seed)

    def normal(*shape, scale=0.02):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    writer = gguf.GGUFWriter(args.out, "llama")
    writer.add_name("ipgate-tiny-random")
    writer.add_context_length(context)
    writer.add_embedding_length(embd)
    writer.add_block_count(layers)
    writer.add_feed_forward_length(ff)
    writer.add_head_count(heads)
    writer.add_head_count_kv(heads)
    writer.add_rope_dimension_count(embd // heads)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(tokens.index("<|im_end|>"))
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    writer.add_chat_template(CHAT_TEMPLATE)

    output = normal(vocab, embd, scale=0.5)
    output[[i for i, t in enumerate(types) if t == gguf.TokenType.BYTE]] *= 0.05
    numbers = [i for i, t in enumerate(tokens) if t.isdigit() and int(t) <= 100]
    output[numbers] *= args.number_scale
    writer.add_tensor("token_embd.weight", normal(vocab, embd, scale=1.0))
    writer.add_tensor("output_norm.weight", np.ones(embd, dtype=np.float32))
    writer.add_tensor("output.weight", output)
    for block in range(layers):
        prefix = f"blk.{block}."
        writer.add_tensor(prefix + "attn_norm.weight", np.ones(embd, dtype=np.float32))
        writer.add_tensor(prefix + "ffn_norm.weight", np.ones(embd, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(prefix + name + ".weight", normal(embd, embd, scale=0.1))
        writer.add_tensor(prefix + "ffn_gate.weight", normal(ff, embd, scale=0.1))
        writer.add_tensor(prefix + "ffn_up.weight", normal(ff, embd, scale=0.1))
        writer.add_tensor(prefix + "ffn_down.weight", normal(embd, ff, scale=0.1))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"wrote {args.out}: {vocab} tokens, {layers} layers, {embd} wide", file=sys.stderr)


if __name__ == "__main__":
    main()
