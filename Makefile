.PHONY: test crash crash-serve bench-store load fuzz

# The whole test suite, with the race detector (the crash test included).
test:
	go test -race ./...

# The crash test at length: 200 kills of a writing process on one ledger file.
crash:
	BRIEFBOT_CRASH_ITERATIONS=200 go test -run TestCrash -count=1 -v -timeout=60m ./store/

# The store benchmarks recorded in BENCHMARKS.md. The first run builds a 1,000,000-matter
# ledger in the temp directory (a few minutes, 3.5 GB) and keeps it for later runs.
bench-store:
	go test -run '^$$' -bench . -benchtime=2s -count=1 -timeout=60m ./store/

# Signed intake submissions over HTTP, the whole view as Slack posts it, at 500/s,
# 1,000/s and 2,500/s for 10 s against a freshly started bot (the figures in
# BENCHMARKS.md, "Front door"); then status commands, 批示 and 反馈 form submissions.
load:
	go build -o /tmp/briefbot-under-load ./cmd/briefbot
	go build -o /tmp/briefbot-load ./cmd/briefbot-load
	/tmp/briefbot-load -bot /tmp/briefbot-under-load -rate 500 -duration 10s
	/tmp/briefbot-load -bot /tmp/briefbot-under-load -rate 1000 -duration 10s
	/tmp/briefbot-load -bot /tmp/briefbot-under-load -rate 2500 -duration 10s
	/tmp/briefbot-load -bot /tmp/briefbot-under-load -rate 500 -duration 10s -mode status
	/tmp/briefbot-load -bot /tmp/briefbot-under-load -rate 200 -duration 10s -mode instruct
	/tmp/briefbot-load -bot /tmp/briefbot-under-load -rate 200 -duration 10s -mode feedback

# Every fuzz target for a minute each.
fuzz:
	go test -run '^$$' -fuzz '^FuzzParseNumber$$' -fuzztime 60s .
	go test -run '^$$' -fuzz '^FuzzIntake$$' -fuzztime 60s .
	go test -run '^$$' -fuzz '^FuzzHasClassificationMarking$$' -fuzztime 60s .
	go test -run '^$$' -fuzz '^FuzzEscape$$' -fuzztime 60s ./blockkit
	go test -run '^$$' -fuzz '^FuzzCommand$$' -fuzztime 60s ./bot
	go test -run '^$$' -fuzz '^FuzzIntakeForm$$' -fuzztime 60s ./bot
	go test -run '^$$' -fuzz '^FuzzSignature$$' -fuzztime 60s ./bot/slackapp
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 60s ./config

# SIGKILL the serving bot at random moments under load 30 times (RELIABILITY.md).
crash-serve:
	go build -o /tmp/briefbot-under-load ./cmd/briefbot
	go run ./cmd/briefbot-load -bot /tmp/briefbot-under-load -kills 30 -rate 500
