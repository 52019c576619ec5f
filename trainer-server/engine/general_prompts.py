"""General requests that have nothing to do with any user's project, in two separate sets.

CANARY: asked of the parent and of the candidate in every round; the candidate's answers must stay close
to the parent's (the behavioural gate's "no regression" half). REPLAY: answered by the parent and mixed
into training as self-distillation examples, so a round that teaches a convention keeps answering
general requests as before. The sets do not overlap, so the canary measures forgetting on requests the
round never trained on. Prompts ask for short answers: generation on a CPU is the slow part of a round.
"""

from __future__ import annotations

# (category, request)
CANARY: list[tuple[str, str]] = [
    ("coding", "Write a Python function that returns the factorial of n."),
    ("coding", "How do I read a text file line by line in Python?"),
    ("coding", "Write a JavaScript function that removes duplicates from an array."),
    ("coding", "What does the SQL keyword JOIN do?"),
    ("coding", "Write a Python function that checks whether a string is a palindrome."),
    ("coding", "How do I sort a list of dictionaries by a key in Python?"),
    ("coding", "Write a bash command that counts the lines in all .txt files."),
    ("coding", "What is the difference between a list and a tuple in Python?"),
    ("coding", "Write a Python class for a simple counter with increment and reset."),
    ("coding", "How do I parse a JSON string in Python?"),
    ("plain", "What is the capital of Japan?"),
    ("plain", "Give me three tips for sleeping better."),
    ("plain", "Explain photosynthesis in one sentence."),
    ("plain", "What is the boiling point of water at sea level?"),
    ("plain", "Name three primary colours."),
    ("plain", "Write a short haiku about autumn."),
    ("plain", "Who wrote Romeo and Juliet?"),
    ("plain", "How many days are in a leap year?"),
]

REPLAY: list[str] = [
    "Write a Python function that adds two numbers.",
    "How do I create a dictionary in Python?",
    "Write a Python function that returns the largest item of a list.",
    "What is a for loop?",
    "How do I convert a string to an integer in Python?",
    "Write a JavaScript function that returns the square of a number.",
    "What is recursion in programming?",
    "How do I check if a key exists in a Python dictionary?",
    "Write a Python function that counts the vowels in a string.",
    "What does HTTP stand for?",
    "What is the largest planet in the solar system?",
    "Give two reasons to drink water.",
    "What is the capital of Italy?",
    "Explain gravity in one sentence.",
    "Name three fruits that are red.",
    "What is the square root of 81?",
    "Write a Python list comprehension that squares the numbers 1 to 5.",
    "How do I join a list of strings with commas in Python?",
    "What is an API?",
    "Who painted the Mona Lisa?",
]


def canary_chats() -> list[list[dict[str, str]]]:
    return [[{"role": "user", "content": request}] for _, request in CANARY]


def canary_categories() -> list[str]:
    return [category for category, _ in CANARY]
