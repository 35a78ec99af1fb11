"""The official Python anthropic SDK against the gateway: a message, a stream, a tool use and
count_tokens on each model group given, and the SDK's typed errors. Prints what it saw as one JSON object."""
import json
import sys

import anthropic

base_url, api_key, groups, rate_limited_group = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
client = anthropic.Anthropic(base_url=base_url, api_key=api_key, max_retries=0)
lookup = {"name": "lookup", "description": "Looks a word up", "input_schema": {"type": "object", "properties": {"word": {"type": "string"}}, "required": ["word"]}}


def message(group):
    answer = client.messages.create(model=group, max_tokens=256, messages=[{"role": "user", "content": f"Hello from Python to {group}"}])
    return {"id": answer.id, "type": answer.type, "role": answer.role, "model": answer.model, "text": answer.content[0].text,
            "stop_reason": answer.stop_reason, "output_tokens": answer.usage.output_tokens}


def stream(group):
    with client.messages.stream(model=group, max_tokens=256, messages=[{"role": "user", "content": "Stream from Python"}]) as streamed:
        text = "".join(streamed.text_stream)
        final = streamed.get_final_message()
    return {"text": text, "final_text": final.content[0].text, "stop_reason": final.stop_reason, "id": final.id}


def tools(group):
    question = {"role": "user", "content": "Define `gateway`"}
    first = client.messages.create(model=group, max_tokens=256, tools=[lookup], messages=[question])
    use = next(block for block in first.content if block.type == "tool_use")
    second = client.messages.create(model=group, max_tokens=256, tools=[lookup], messages=[
        question,
        {"role": "assistant", "content": [block.model_dump(exclude_none=True) for block in first.content]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": use.id, "content": "a place requests pass through"}]},
    ])
    return {"stop_reason": first.stop_reason, "name": use.name, "input": use.input, "answer": second.content[0].text}


def count_tokens(group):
    return client.messages.count_tokens(model=group, messages=[{"role": "user", "content": "How many tokens is this?"}]).input_tokens


def typed_error(call):
    try:
        call()
    except anthropic.APIStatusError as error:
        body = error.body if isinstance(error.body, dict) else {}
        return {"class": type(error).__name__, "status": error.status_code, "type": (body.get("error") or {}).get("type"),
                "message": error.message, "retry_after": error.response.headers.get("retry-after")}
    return {"class": None}


result = {"groups": {group: {"message": message(group), "stream": stream(group), "tools": tools(group), "count_tokens": count_tokens(group)} for group in groups}}
simple = [{"role": "user", "content": "hi"}]
result["errors"] = {
    "unknown_field": typed_error(lambda: client.messages.create(model=groups[0], max_tokens=16, messages=simple, extra_body={"not_a_field": 1})),
    "wrong_type": typed_error(lambda: client.messages.create(model=groups[0], max_tokens=16, messages=simple, extra_body={"top_k": "many"})),
    "unknown_model": typed_error(lambda: client.messages.create(model="no-such-group", max_tokens=16, messages=simple)),
    "bad_key": typed_error(lambda: anthropic.Anthropic(base_url=base_url, api_key="gw-not-a-key", max_retries=0).messages.create(model=groups[0], max_tokens=16, messages=simple)),
    "rate_limited": typed_error(lambda: client.messages.create(model=rate_limited_group, max_tokens=16, messages=simple)),
}
print(json.dumps(result))
