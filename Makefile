# One-line targets; the logic lives in the scripts they call (infra/dev/, package.json scripts).
.PHONY: install up down logs test lint typecheck bench chaos

install:
	infra/dev/bootstrap.sh

up: install
	pnpm run up

down:
	pnpm run down

logs:
	tail -F .data/logs/*.log

test: install
	pnpm exec tsx infra/dev/test-all.ts

lint: install
	pnpm lint

typecheck: install
	pnpm typecheck

bench: install
	pnpm run bench

chaos: install
	pnpm --filter @triggers/chaos chaos
