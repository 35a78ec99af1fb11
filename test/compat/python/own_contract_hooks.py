"""Schemathesis hooks of the gateway's run against its own OpenAPI description (GET /openapi.json):

- the `model` of each inference request body becomes an enum of the gateway's configured model groups
  (CONTRACT_CHAT_GROUPS for chat, CONTRACT_EMBEDDING_GROUPS for embeddings, comma-separated), so a
  generated request names a model the gateway serves, and the requests take the groups in turn;
- a Responses request carries `input` and no `conversation`: the gateway keeps no conversations, so
  it refuses `conversation`, and a request with neither input nor a previous response has nothing to
  answer; both are 400s by design, and without this most generated Responses requests would be them.

Nothing else changes: the document says what the gateway takes and answers.
"""
import itertools
import os

import schemathesis

CHAT_GROUPS = os.environ["CONTRACT_CHAT_GROUPS"].split(",")
EMBEDDING_GROUPS = os.environ["CONTRACT_EMBEDDING_GROUPS"].split(",")
NEXT_GROUP = {"chat": itertools.cycle(CHAT_GROUPS), "embeddings": itertools.cycle(EMBEDDING_GROUPS)}
CHAT_REQUESTS = ("ChatCompletionRequest", "MessagesRequest", "CountTokensRequest", "ResponsesRequest")


@schemathesis.hook
def before_load_schema(context, raw_schema):
    components = raw_schema["components"]["schemas"]
    for name in CHAT_REQUESTS:
        components[name]["properties"]["model"] = {"type": "string", "enum": CHAT_GROUPS}
    components["EmbeddingRequest"]["properties"]["model"] = {"type": "string", "enum": EMBEDDING_GROUPS}
    responses = components["ResponsesRequest"]
    del responses["properties"]["conversation"]
    responses["required"] = [*responses.get("required", []), "input"]


@schemathesis.hook
def before_call(context, case, kwargs):
    # Here, not in map_body: the coverage phase, which makes most of the requests, calls no map hook.
    if not isinstance(case.body, dict):
        return
    model = case.body.get("model")
    for operation, groups in (("chat", CHAT_GROUPS), ("embeddings", EMBEDDING_GROUPS)):
        if model in groups:
            case.body = {**case.body, "model": next(NEXT_GROUP[operation])}
