"""One endpoint's models module, rendered through datamodel-code-generator.

datamodel-code-generator has no attrs output, so acebind feeds it a JSON
Schema built from the intermediate representation and renders its dataclass
and enum models through the attrs templates in ``templates/models/``. The
schema carries the already-cleaned names, hints and docstrings as field
extras, so the class bodies say exactly what the IR says; the generator
resolves the order of the classes. The module's header and the codecs (fast
decode/encode functions, one per class) are acebind's own templates.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from pathlib import Path
from typing import Any

from generator.errors import GenerateError
from generator.generate.ir import EndpointIR, EnumIR, ModelIR, docstring

EXTRAS = {"x-attr", "x-hint", "x-default", "x-doc"}


def _enum_def(enum: EnumIR) -> dict[str, Any]:
    values = [_literal(member[1]) for member in enum.members]
    return {
        "title": enum.name,
        "type": "string" if enum.base == "str" else "integer",
        "enum": values,
        "x-enum-varnames": [member[0] for member in enum.members],
    }


def _literal(text: str) -> Any:
    # The IR keeps choice values as repr() of a str or an int; literal_eval
    # reads literals only, never code, and gives back exactly the value.
    value = ast.literal_eval(text)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise GenerateError(f"a choice value that is not a str or an int: {text}")
    return value


def _model_def(model: ModelIR) -> dict[str, Any]:
    properties = {}
    for field in model.fields:
        properties[field.attr] = {
            "x-attr": field.attr,
            "x-hint": field.full_hint,
            "x-default": field.has_default,
            "x-doc": docstring(field.doc),
        }
    definition: dict[str, Any] = {
        "title": model.name,
        "type": "object",
        "properties": properties,
    }
    # datamodel-code-generator escapes descriptions its own way; a text with no
    # quote or backslash left in it reads the same whatever that way is.
    doc = docstring(model.doc.replace('"', "'").replace("\\", "/"))
    if doc:
        definition["description"] = doc[3:-3].rstrip()
    return definition


def dcg_input(endpoint: EndpointIR) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for enum in endpoint.enums:
        defs[enum.name] = _enum_def(enum)
    for model in endpoint.models:
        defs[model.name] = _model_def(model)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs}


def render_classes(endpoint: EndpointIR, template_dir: Path) -> str:
    """The class definitions of ``endpoint``'s models, without imports."""
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            output = generate(
                json.dumps(dcg_input(endpoint)),
                input_file_type=InputFileType.JsonSchema,
                output_model_type=DataModelType.DataclassesDataclass,
                target_python_version=PythonVersion.PY_311,
                custom_template_dir=template_dir,
                disable_timestamp=True,
                field_extra_keys=EXTRAS,
                formatters=[],
                use_title_as_name=True,
                capitalise_enum_members=False,
                use_schema_description=True,
            )
        except Exception as error:  # the generator's own errors have no common base
            raise GenerateError(
                f"{endpoint.name}: datamodel-code-generator failed: {error}"
            ) from error
    if not isinstance(output, str):
        raise GenerateError(f"{endpoint.name}: unexpected multi-module output")
    return _body(output)


def _body(output: str) -> str:
    """Everything from the first class on: acebind writes the imports itself."""
    match = re.search(r"^(@attrs\.define|class )", output, flags=re.MULTILINE)
    return output[match.start() :] if match else ""
