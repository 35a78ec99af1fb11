/** The chat model groups of surfaceConfig the own-contract run spreads its requests over, one per provider kind. */
export const ownContractChatGroups = ['chat-default', 'claude', 'nova', 'local-llm', 'bedrock-claude'];
/** Its embedding group, one of surfaceConfig's (on the simulator's OpenAI route). */
export const ownContractEmbeddingGroups = ['embed-openai'];
