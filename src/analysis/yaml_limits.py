"""YAML read within limits (front matter, speaker files): ``load_yaml``.

A 350-byte "billion laughs" of nested aliases is harmless to parse but expands to
gigabytes once its values are joined into text; ``load_yaml`` measures the node
graph first and refuses what is over ``YAML_LIMITS``.
"""

from __future__ import annotations

import yaml

# characters of text; values, nesting and keys of a mapping once aliases are expanded; characters expanded
YAML_LIMITS = {"chars": 100_000, "values": 10_000, "depth": 20, "keys": 1_000, "text": 1_000_000}


class YamlTooBig(yaml.YAMLError):
    """YAML over ``YAML_LIMITS``; ``problem`` says which limit."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def load_yaml(text: str):
    """``yaml.load(text, Loader=BaseLoader)`` (every value a string) within ``YAML_LIMITS``.

    The node graph is measured before anything is built: its size with every alias
    expanded (values and characters), its depth and the keys of each mapping. Over
    a limit: :class:`YamlTooBig` (a ``yaml.YAMLError``), in time and memory
    proportional to the text however its aliases nest.
    """
    if len(text) > YAML_LIMITS["chars"]:
        raise YamlTooBig(f"{len(text):,} characters, more than the {YAML_LIMITS['chars']:,} allowed")
    loader = yaml.BaseLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _measure(node, 0, {})
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _measure(node, depth: int, memo: dict) -> tuple[int, int]:
    """(values, characters) of ``node`` with its aliases expanded; raises YamlTooBig over a limit."""
    if depth > YAML_LIMITS["depth"]:
        raise YamlTooBig(f"nested more than {YAML_LIMITS['depth']} levels deep")
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, yaml.ScalarNode):
        size = (1, len(node.value))
    else:
        children = node.value
        if isinstance(node, yaml.MappingNode):
            if len(children) > YAML_LIMITS["keys"]:
                raise YamlTooBig(f"a mapping of {len(children):,} keys, more than the {YAML_LIMITS['keys']:,} allowed")
            children = [n for pair in children for n in pair]
        values = chars = 1
        for child in children:
            v, c = _measure(child, depth + 1, memo)
            values, chars = values + v, chars + c
            if values > YAML_LIMITS["values"] or chars > YAML_LIMITS["text"]:
                raise YamlTooBig(f"its aliases expand to more than {YAML_LIMITS['values']:,} values or "
                                 f"{YAML_LIMITS['text']:,} characters (an alias bomb?)")
        size = (values, chars)
    memo[id(node)] = size
    return size
