"""Decode item records with every decoder, page by page; print the seconds as JSON.

Run by the peers' interpreter (it has attrs, httpx and pydantic), with one
argument: a JSON object naming the data file (one page envelope of JSON text
per line), the folders to import the three packages from, and the number of
rounds. Each decoder works the way a client does, one page at a time with the
garbage collector on: the page is parsed, then its records are decoded. Only
the decoding is timed, so the model figures leave ``json.loads`` out; the
``json.loads`` figure times the parsing of the same pages.
"""

from __future__ import annotations

import cProfile
import importlib
import json
import pstats
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

Decode = Callable[[dict[str, Any]], Any]


def decoders(config: dict[str, Any]) -> dict[str, Decode]:
    module = f"{config['acebind_package']}.models.items"
    decode_item = importlib.import_module(module).decode_item
    opc_item = importlib.import_module(f"{config['opc_package']}.models.item").Item
    pydantic_item = importlib.import_module(config["pydantic_module"]).Item
    return {
        "acebind": decode_item,
        "openapi-python-client": opc_item.from_dict,
        "pydantic": pydantic_item.model_validate,
    }


def check(texts: list[str], named: dict[str, Decode]) -> None:
    """Every decoder reads the first page's records, keys included."""
    for record in json.loads(texts[0])["results"]:
        key = record["ItemId"]
        assert named["acebind"](record).item_id == key
        assert named["openapi-python-client"](record).item_id == key
        assert named["pydantic"](record).ItemId == key


def parse_pass(texts: list[str]) -> float:
    total = 0.0
    for text in texts:
        start = time.perf_counter()
        page = json.loads(text)
        total += time.perf_counter() - start
        del page
    return total


def decode_pass(texts: list[str], decode: Decode) -> float:
    total = 0.0
    for text in texts:
        records = json.loads(text)["results"]
        start = time.perf_counter()
        decoded = [decode(record) for record in records]
        total += time.perf_counter() - start
        del decoded
    return total


def measure(
    texts: list[str], named: dict[str, Decode], rounds: int
) -> dict[str, list[float]]:
    passes: dict[str, Callable[[], float]] = {"json.loads": partial(parse_pass, texts)}
    for name, decode in named.items():
        passes[name] = partial(decode_pass, texts, decode)
    seconds: dict[str, list[float]] = {name: [] for name in passes}
    names = list(passes)
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            seconds[name].append(passes[name]())
    return seconds


def profile(texts: list[str], decode: Decode) -> list[tuple[str, float]]:
    """The functions that take the most of ``decode``'s own time, with their share."""
    pages = [json.loads(text)["results"] for text in texts[:20]]
    profiler = cProfile.Profile()
    profiler.enable()
    for records in pages:
        [decode(record) for record in records]
    profiler.disable()
    table = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    own = {_label(key): row[2] for key, row in table.items()}
    total = sum(own.values()) or 1.0
    ranked = sorted(own.items(), key=lambda item: item[1], reverse=True)[:6]
    return [(label, seconds / total) for label, seconds in ranked]


def _label(key: tuple[str, int, str]) -> str:
    filename, _, name = key
    return name if filename == "~" else f"{Path(filename).name}:{name}"


def main() -> None:
    config = json.loads(sys.argv[1])
    sys.path[:0] = config["paths"]
    texts = Path(config["data"]).read_text(encoding="utf-8").splitlines()
    named = decoders(config)
    check(texts, named)
    count = sum(len(json.loads(text)["results"]) for text in texts)
    seconds = measure(texts, named, config["rounds"])
    size = sum(len(text.encode()) for text in texts)
    hot = profile(texts, named["acebind"])
    print(json.dumps({"records": count, "bytes": size, "seconds": seconds, "hot": hot}))


if __name__ == "__main__":
    main()
