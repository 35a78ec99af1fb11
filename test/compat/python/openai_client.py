"""The official Python openai SDK against the gateway: a completion, a stream and a tool call on each
model group given, and the SDK's typed errors. Prints what it saw as one JSON object."""
import json
import sys

import openai

base_url, api_key, groups, rate_limited_group = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
client = openai.OpenAI(base_url=f"{base_url}/v1", api_key=api_key, max_retries=0)
weather = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def completion(group):
    answer = client.chat.completions.create(model=group, messages=[{"role": "user", "content": f"Hello from Python to {group}"}])
    return {"id": answer.id, "object": answer.object, "model": answer.model, "content": answer.choices[0].message.content,
            "finish_reason": answer.choices[0].finish_reason, "total_tokens": answer.usage.total_tokens}


def stream(group):
    chunks = list(client.chat.completions.create(model=group, stream=True, stream_options={"include_usage": True},
                                                 messages=[{"role": "user", "content": "Stream from Python"}]))
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    finish = [chunk.choices[0].finish_reason for chunk in chunks if chunk.choices and chunk.choices[0].finish_reason]
    return {"text": text, "finish_reasons": finish, "usage_chunks": sum(1 for chunk in chunks if chunk.usage is not None),
            "ids": sorted({chunk.id for chunk in chunks})}


def tools(group):
    first = client.chat.completions.create(model=group, tools=[weather], messages=[{"role": "user", "content": "Weather in `Lyon`?"}])
    call = first.choices[0].message.tool_calls[0]
    second = client.chat.completions.create(model=group, tools=[weather], messages=[
        {"role": "user", "content": "Weather in `Lyon`?"},
        first.choices[0].message.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": call.id, "content": "sunny, 21 C"},
    ])
    return {"finish_reason": first.choices[0].finish_reason, "name": call.function.name, "arguments": json.loads(call.function.arguments),
            "answer": second.choices[0].message.content}


def typed_error(call):
    try:
        call()
    except openai.APIStatusError as error:
        body = error.body if isinstance(error.body, dict) else {}
        return {"class": type(error).__name__, "status": error.status_code, "code": body.get("code"), "message": error.message,
                "retry_after": error.response.headers.get("retry-after")}
    return {"class": None}


result = {"groups": {group: {"completion": completion(group), "stream": stream(group), "tools": tools(group)} for group in groups}}
simple = [{"role": "user", "content": "hi"}]
result["errors"] = {
    "unknown_field": typed_error(lambda: client.chat.completions.create(model=groups[0], messages=simple, extra_body={"not_a_field": 1})),
    "wrong_type": typed_error(lambda: client.chat.completions.create(model=groups[0], messages=simple, temperature="hot")),
    "unknown_model": typed_error(lambda: client.chat.completions.create(model="no-such-group", messages=simple)),
    "bad_key": typed_error(lambda: openai.OpenAI(base_url=f"{base_url}/v1", api_key="gw-not-a-key", max_retries=0).chat.completions.create(model=groups[0], messages=simple)),
    "rate_limited": typed_error(lambda: client.chat.completions.create(model=rate_limited_group, messages=simple)),
}
print(json.dumps(result))
