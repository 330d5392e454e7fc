"""The optional LLM tier: any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp) behind the local resolver.

Nothing here imports `openai` at module level; the client (about 0.9 s to import) is built on the first call.
"""

# Kept here, free of imports, so the cold path can ask "is anything configured?" for almost nothing.
FILE_NAME = "config.toml"
MODEL_ENV = "INTENT_LLM_MODEL"
