"""Schemathesis hooks of the contract test, applied to the spec in memory after it is read from
../shared/specs (the project keeps no copy of it):

- the `model` of createChatCompletion, createResponse and createEmbedding becomes an enum of the
  gateway's configured model groups (CONTRACT_MODEL_GROUPS, comma-separated: a run covers one
  operation, and names the chat or embedding groups it serves), so a generated request names a model
  the gateway serves, and the requests take the groups in turn (the generator alone picks one group
  for most of them); createResponse's `model` becomes required, as the gateway routes by it (the spec
  makes it optional because OpenAI may take it from a stored prompt, and the gateway keeps none);
- an object that names its properties admits no others (`additionalProperties: false` where the spec
  says nothing), because the gateway answers 400 to a field that is in no spec, by design; objects
  built with `allOf` are merged into one first, so that rule applies to the whole object;
- rules the spec states only in words become schema keywords: a name that "Must be a-z, A-Z, 0-9, or
  contain underscores and dashes, with a maximum length of 64" (functions, response formats) gets that
  pattern, and so do a custom tool's name and a Responses function tool's, since the gateway offers
  every tool to Anthropic and Bedrock, which need it; `logit_bias` maps token ids to a bias "from
  -100 to 100"; an embedding input "cannot be an empty string", and its token ids count from 0;
- `max_tokens` and `max_completion_tokens` are at least 1: no route can serve a completion of no token
  (Anthropic and Bedrock refuse 0), so the gateway answers 400 there;
- two things that an Anthropic or Bedrock route refuses with 400 by design are narrowed, in chat
  completions and in responses: an image is a base64 data URL (Bedrock takes image bytes only, no
  URL), and an earlier tool call's arguments are a JSON object (Anthropic and Bedrock take a tool
  call's input as an object; the spec says only "in JSON format");
- createResponse requests leave out three things that name state OpenAI keeps and the gateway does
  not, which it answers with a deliberate 400 (docs/api-compatibility.md): `conversation` (the
  gateway keeps no conversations), `previous_response_id` and `item_reference` items (a generated id
  names no earlier response; the integration tests continue real ones);
- createResponse's `input` holds a turn that is not an instruction: a text, or a list with at least
  one `user` message. A list of only `system` and `developer` messages (or none) leaves no turn to
  answer, which no Anthropic or Bedrock route takes, so the gateway answers 400 naming `input`;
- a createResponse `function_call_output` names its `call_id` (the spec lets it be left out or
  null), which every provider needs to pair the output with its call.
"""
import itertools
import os

import schemathesis

MODEL_GROUPS = os.environ["CONTRACT_MODEL_GROUPS"].split(",")
NEXT_GROUP = itertools.cycle(MODEL_GROUPS)
TOOL_NAME = {"type": "string", "pattern": "^[a-zA-Z0-9_-]{1,64}$"}
ARGUMENTS = {"type": "string", "enum": ["{}", '{"city": "Lyon"}']}
NAME_RULE = "Must be a-z, A-Z, 0-9, or"
# A 1x1 PNG.
IMAGE_DATA_URL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def merge_all_of(schema, components):
    """One object schema from an allOf of object schemas (by $ref or inline); None if a part is not one."""
    merged = {key: value for key, value in schema.items() if key != "allOf"}
    properties, required = dict(merged.pop("properties", {})), list(merged.pop("required", []))
    for part in schema["allOf"]:
        while "$ref" in part:
            part = components[part["$ref"].split("/")[-1]]
        if "allOf" in part:
            part = merge_all_of(part, components)
        if part is None or "properties" not in part or any(key in part for key in ("anyOf", "oneOf")):
            return None
        properties.update(part["properties"])
        required += [name for name in part.get("required", []) if name not in required]
    merged.update(type="object", properties=properties, required=required)
    return merged


def description(schema):
    return " ".join(str(schema.get("description", "")).split()) if isinstance(schema, dict) else ""


def close_objects(schema, components):
    if isinstance(schema, list):
        for item in schema:
            close_objects(item, components)
        return
    if not isinstance(schema, dict):
        return
    if "allOf" in schema:
        merged = merge_all_of(schema, components)
        if merged is not None:
            schema.clear()
            schema.update(merged)
    if isinstance(schema.get("properties"), dict) and "additionalProperties" not in schema:
        schema["additionalProperties"] = False
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    if NAME_RULE in description(properties.get("name")):
        properties["name"] = dict(TOOL_NAME)
    if "in JSON format" in description(properties.get("arguments")):
        properties["arguments"] = dict(ARGUMENTS)
    for key, value in schema.items():
        if key == "properties":
            for property_schema in value.values():
                close_objects(property_schema, components)
        elif key not in ("example", "examples", "default", "enum", "const"):
            close_objects(value, components)


def narrow_create_response(components):
    request = components["CreateResponse"]
    request["required"] = ["model", "input"]
    properties = request["properties"]
    for name in ("conversation", "previous_response_id"):
        properties.pop(name)
    components["InputItem"]["oneOf"] = [item for item in components["InputItem"]["oneOf"] if not item.get("$ref", "").endswith("/ItemReferenceParam")]
    user_message = {"allOf": [{"$ref": "#/components/schemas/EasyInputMessage"}, {"properties": {"role": {"enum": ["user"]}}}]}
    output = components["FunctionCallOutputItemParam"]
    output["required"] = [*output["required"], "call_id"]
    output["properties"]["call_id"] = output["properties"]["call_id"]["anyOf"][0]
    properties["input"] = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/components/schemas/InputItem"}, "contains": user_message}]}


@schemathesis.hook
def before_load_schema(context, raw_schema):
    components = raw_schema["components"]["schemas"]
    close_objects(components, components)
    for name in ("CreateChatCompletionRequest", "CreateResponse", "CreateEmbeddingRequest"):
        components[name]["properties"]["model"] = {"type": "string", "enum": MODEL_GROUPS}
    narrow_create_response(components)
    texts = components["CreateEmbeddingRequest"]["properties"]["input"]["oneOf"]
    texts[0]["minLength"] = texts[1]["items"]["minLength"] = 1
    texts[2]["items"]["minimum"] = texts[3]["items"]["items"]["minimum"] = 0
    request = components["CreateChatCompletionRequest"]["properties"]
    components["CustomToolChatCompletions"]["properties"]["custom"]["properties"]["name"] = dict(TOOL_NAME)
    for tool in ("FunctionTool", "CustomToolParam"):
        components[tool]["properties"]["name"] = dict(TOOL_NAME)
    request["logit_bias"].update(propertyNames={"pattern": "^-?[0-9]+$"}, additionalProperties={"type": "integer", "minimum": -100, "maximum": 100})
    for field in ("max_tokens", "max_completion_tokens"):
        request[field]["minimum"] = 1
    components["ChatCompletionRequestMessageContentPartImage"]["properties"]["image_url"]["properties"]["url"] = {"type": "string", "enum": [IMAGE_DATA_URL]}
    components["FunctionToolCall"]["properties"]["arguments"] = dict(ARGUMENTS)
    for image in ("InputImageContent", "InputImageContentParamAutoParam"):
        components[image]["properties"]["image_url"] = {"anyOf": [{"type": "string", "enum": [IMAGE_DATA_URL]}, {"type": "null"}]}


@schemathesis.hook
def before_call(context, case, kwargs):
    # Here, not in map_body: the coverage phase, which makes most of the requests, calls no map hook.
    if isinstance(case.body, dict) and case.body.get("model") in MODEL_GROUPS:
        case.body = {**case.body, "model": next(NEXT_GROUP)}
