# One image for both gateway roles; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY config ./config
USER node
EXPOSE 8080
CMD ["node", "--import", "tsx", "src/api-main.ts"]
