"""The real `openai` Python package against the trainer-server's gateway, driven by
test/unit/gatewayToolClients.test.ts: chat with tools (whole and streamed tool calls), the follow-up
with the tool's result, and the Responses API (whole and streamed). Prints one JSON object with what
the client parsed, for the test to judge; a client-side parse failure raises and exits non-zero.

Usage: python openai_python_client.py BASE_URL   (the token in AUTODIDACT_TOKEN)
"""

from __future__ import annotations

import json
import os
import sys

import openai

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Get the current weather in a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        },
    }
]

# One earlier call in the history: greedy SmolLM2-135M then calls the tool the same way for Berlin.
HISTORY = [
    {"role": "user", "content": "What is the weather in Paris?"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "call_paris", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}],
    },
    {"role": "user", "content": "What is the weather in Berlin?"},
]


def main() -> None:
    client = openai.OpenAI(base_url=sys.argv[1], api_key=os.environ["AUTODIDACT_TOKEN"], max_retries=0)
    out: dict = {"openai_version": openai.__version__}

    whole = client.chat.completions.create(model="autodidact", messages=HISTORY, tools=TOOLS, temperature=0, max_tokens=40)
    choice = whole.choices[0]
    calls = choice.message.tool_calls or []
    out["chat"] = {
        "finish_reason": choice.finish_reason,
        "content": choice.message.content,
        "calls": [{"id": c.id, "name": c.function.name, "arguments": json.loads(c.function.arguments)} for c in calls],
    }

    # Streamed: the client's own accumulation of delta.tool_calls (what agents built on the SDK use).
    with client.chat.completions.stream(model="autodidact", messages=HISTORY, tools=TOOLS, temperature=0, max_tokens=40) as stream:
        for _ in stream:
            pass
        final = stream.get_final_completion()
    streamed_calls = final.choices[0].message.tool_calls or []
    out["chat_stream"] = {
        "finish_reason": final.choices[0].finish_reason,
        "calls": [{"name": c.function.name, "arguments": json.loads(c.function.arguments)} for c in streamed_calls],
    }

    # The follow-up an agent sends after running the tool: the call, then its result in a `tool` message.
    follow_up = HISTORY[:-1] + [
        {"role": "user", "content": "What is the weather in Berlin?"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": calls[0].id if calls else "call_berlin", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Berlin"}'}}]},
        {"role": "tool", "tool_call_id": calls[0].id if calls else "call_berlin", "content": "rain, 12 C"},
    ]
    answer = client.chat.completions.create(model="autodidact", messages=follow_up, tools=TOOLS, temperature=0, max_tokens=20)
    out["follow_up"] = {"finish_reason": answer.choices[0].finish_reason, "content": answer.choices[0].message.content, "tool_calls": answer.choices[0].message.tool_calls}

    response = client.responses.create(model="autodidact", instructions="Be brief.", input="Say hello.", temperature=0, max_output_tokens=12)
    out["responses"] = {"id": response.id, "status": response.status, "output_text": response.output_text, "output_types": [item.type for item in response.output]}

    events: list[str] = []
    deltas = ""
    # Room to finish: the SDK's final response needs response.completed (a cut-off answer ends with response.incomplete).
    with client.responses.stream(model="autodidact", instructions="Be brief.", input="Say hello.", temperature=0, max_output_tokens=40) as stream:
        for event in stream:
            events.append(event.type)
            if event.type == "response.output_text.delta":
                deltas += event.delta
        final_response = stream.get_final_response()
    out["responses_stream"] = {"events": events, "deltas": deltas, "output_text": final_response.output_text, "status": final_response.status}

    # A JSON format the built-in engine cannot constrain to: the client raises the gateway's clear 400.
    try:
        client.chat.completions.create(model="autodidact", messages=[{"role": "user", "content": "hi"}], response_format={"type": "json_object"})
        out["json_object"] = "accepted"
    except openai.BadRequestError as error:
        out["json_object"] = {"status": error.status_code, "code": error.code, "param": error.param}

    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
