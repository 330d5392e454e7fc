"""The optional LLM tier: any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp) behind the local resolver.

Nothing here imports `openai` at module level; the client (about 0.9 s to import) is built on the first call.
"""
