# One image for both gateway roles; docker-compose.yml picks the entry point. It runs compiled
# JavaScript (`npm run build` → dist/); tsx is for development only.
#
# `npm install`, not `npm ci`: the lock file is written on linux-x64 against a registry that does not
# serve @swc/core's packages for other platforms, so they are missing from it and `npm ci` refuses
# the lock file. `npm install` installs exactly the locked versions and skips the missing optional
# packages. On another platform (macOS, Windows, linux-arm64) run `npm install` there, which adds
# that platform's @swc/core package to the lock file.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# .npmrc keeps onnxruntime-node's install script from fetching CUDA libraries from outside the registry.
COPY package.json package-lock.json .npmrc ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# .npmrc keeps onnxruntime-node's install script from fetching CUDA libraries from outside the registry.
COPY package.json package-lock.json .npmrc ./
RUN npm install --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY config ./config
USER node
EXPOSE 8080
CMD ["node", "dist/api-main.js"]
