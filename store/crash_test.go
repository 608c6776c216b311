package store_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// The crash test kills a process writing to the ledger at a random moment, many times
// over on the same file, and checks after each kill that the file is sound and that
// every write the process was told had committed is there. The writing process is this
// test binary run again as TestCrashChild.
const (
	envCrashChild      = "BRIEFBOT_CRASH_CHILD"      // the ledger file the child writes to
	envCrashIter       = "BRIEFBOT_CRASH_ITER"       // which kill the child is for (makes titles unique)
	envCrashIterations = "BRIEFBOT_CRASH_ITERATIONS" // how many kills (default crashIterations)
	envCrashSeed       = "BRIEFBOT_CRASH_SEED"       // seed for the kill delays (default: the time)

	crashIterations = 15
	crashWriters    = 8
	crashMinDelay   = 5 * time.Millisecond
	crashMaxDelay   = 300 * time.Millisecond
)

// ack is one write the child reported as committed.
type ack struct {
	number briefbot.Number
	title  string
}

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped with -short")
	}
	iterations := crashIterations
	if v := os.Getenv(envCrashIterations); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", envCrashIterations, v)
		}
		iterations = n
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(envCrashSeed); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: want a number", envCrashSeed, v)
		}
		seed = n
	}
	t.Logf("seed %d (%s=%d repeats the kill delays)", seed, envCrashSeed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))

	path := filepath.Join(t.TempDir(), "ledger.db")
	all := map[string]string{} // every number ever acknowledged -> its title
	var partial, total int
	start := time.Now()
	for iter := 1; iter <= iterations; iter++ {
		delay := crashMinDelay + time.Duration(rng.Int64N(int64(crashMaxDelay-crashMinDelay)))
		acks, cut := crashChild(t, path, iter, delay)
		if cut {
			partial++
		}
		for _, a := range acks {
			n := a.number.String()
			if prev, ok := all[n]; ok {
				t.Fatalf("kill %d: %s acknowledged twice (%q, then %q)", iter, n, prev, a.title)
			}
			all[n] = a.title
		}
		total += len(acks)

		s, err := store.Open(path, store.Options{Timeout: 5 * time.Second})
		if err != nil {
			t.Fatalf("kill %d: reopen after the kill: %v", iter, err)
		}
		problems, err := s.Check()
		if err != nil {
			s.Close()
			t.Fatalf("kill %d: check: %v", iter, err)
		}
		if len(problems) > 0 {
			s.Close()
			t.Fatalf("kill %d (after %s): the file is not sound:\n%s", iter, delay, strings.Join(problems, "\n"))
		}
		// Every write acknowledged so far, in this run or an earlier one, must be there.
		for n, title := range all {
			num, err := briefbot.ParseNumber(n)
			if err != nil {
				t.Fatal(err)
			}
			m, err := s.Matter(ctx, briefbot.RefNumber(num))
			if err != nil {
				s.Close()
				t.Fatalf("kill %d (after %s): %s was acknowledged but is lost: %v", iter, delay, n, err)
			}
			if m.Title != title {
				s.Close()
				t.Fatalf("kill %d: %s is %q, but %q was acknowledged under that number", iter, n, m.Title, title)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if testing.Verbose() {
			t.Logf("kill %d after %s: %d acknowledged (%d in all)", iter, delay.Round(time.Millisecond), len(acks), total)
		}
	}

	// Numbers are unique and gapless per series (Check verifies this against the
	// stored matters); the acknowledged ones are a subset, so each series' highest
	// acknowledged number must not exceed its count of stored matters.
	s, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	highest := map[string]int{}
	for n := range all {
		num, _ := briefbot.ParseNumber(n)
		highest[num.Series()] = max(highest[num.Series()], num.Seq)
	}
	for series, hi := range highest {
		kind := map[string]briefbot.Kind{"QS": briefbot.KindRequest, "BG": briefbot.KindReport, "BB": briefbot.KindFiling}[series[:2]]
		year, _ := strconv.Atoi(series[3:])
		for seq := 1; seq <= hi; seq++ {
			if _, err := s.Matter(ctx, briefbot.RefNumber(briefbot.Number{Kind: kind, Year: year, Seq: seq})); err != nil {
				t.Fatalf("%s-%04d: a gap below the acknowledged %s-%04d: %v", series, seq, series, hi, err)
			}
		}
	}
	size, _ := s.Size()
	t.Logf("%d kills in %s: %d writes acknowledged, all found; %d kills cut an acknowledgement short; file %d bytes",
		iterations, time.Since(start).Round(time.Millisecond), total, partial, size)
}

// crashChild runs TestCrashChild writing to path, kills it with SIGKILL delay after its
// first acknowledgement, and returns the acknowledgements it printed completely, and
// whether it was cut off in the middle of one.
func crashChild(t *testing.T, path string, iter int, delay time.Duration) ([]ack, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), envCrashChild+"="+path, envCrashIter+"="+strconv.Itoa(iter))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	var (
		mu    sync.Mutex
		acks  []ack
		errs  []string
		cut   bool
		first = make(chan struct{})
		done  = make(chan error, 1)
	)
	go func() {
		r := bufio.NewReader(out)
		signalled := false
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				// A line without its newline was being written when the child died:
				// its write may or may not have committed, so it proves nothing.
				if line != "" {
					mu.Lock()
					cut = strings.HasPrefix(line, "ACK ")
					mu.Unlock()
				}
				if err == io.EOF {
					err = nil
				}
				done <- err
				return
			}
			if msg, ok := strings.CutPrefix(line, "ERR "); ok {
				mu.Lock()
				errs = append(errs, strings.TrimSpace(msg))
				mu.Unlock()
				continue
			}
			a, ok := parseAck(line)
			if !ok {
				continue // other output of the test binary
			}
			mu.Lock()
			acks = append(acks, a)
			mu.Unlock()
			if !signalled {
				signalled = true
				close(first)
			}
		}
	}()

	select {
	case <-first:
		time.Sleep(delay)
	case <-time.After(30 * time.Second):
		t.Errorf("kill %d: no acknowledgement within 30s", iter)
	case err := <-done:
		done <- err // the child ended before writing anything: report it below
	}
	_ = cmd.Process.Kill() // SIGKILL: no deferred function, no Close, nothing runs
	if err := <-done; err != nil {
		t.Errorf("kill %d: reading the child: %v", iter, err)
	}
	werr := cmd.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(errs) > 0 {
		t.Fatalf("kill %d: the child's writes failed: %s", iter, strings.Join(errs, "; "))
	}
	if len(acks) == 0 {
		t.Fatalf("kill %d: the child acknowledged nothing (exit: %v)\n%s", iter, werr, stderr.String())
	}
	if werr == nil {
		t.Fatalf("kill %d: the child exited by itself before the kill\n%s", iter, stderr.String())
	}
	return acks, cut
}

// parseAck reads "ACK <number> <title>\n".
func parseAck(line string) (ack, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "ACK ")
	if !ok {
		return ack{}, false
	}
	num, title, ok := strings.Cut(rest, " ")
	if !ok || title == "" {
		return ack{}, false
	}
	n, err := briefbot.ParseNumber(num)
	if err != nil || n.String() != num {
		return ack{}, false
	}
	return ack{n, title}, true
}

// TestCrashChild is the process TestCrash kills: it submits matters from several
// goroutines as fast as it can and prints "ACK <number> <title>" for each once Submit
// has returned, that is once the write is durable. It does nothing unless run by
// TestCrash.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(envCrashChild)
	if path == "" {
		t.Skip("run by TestCrash only")
	}
	iter, _ := strconv.Atoi(os.Getenv(envCrashIter))
	s, err := store.Open(path, store.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// The parent kills this process; the deadline only stops an orphan.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out sync.Mutex
	var wg sync.WaitGroup
	for g := range crashWriters {
		wg.Go(func() {
			for k := 0; ctx.Err() == nil; k++ {
				i := g + k*crashWriters
				m := fixtureMatter(i, fmt.Sprintf("%d%d%05d", iter, g, k), time.Now().In(benchLoc))
				res, err := s.Submit(ctx, m, nil, briefbot.Delivery{Key: fmt.Sprintf("crash-%d-%d-%d", iter, g, k)})
				var line string
				switch {
				case err == nil:
					line = "ACK " + res.Matter.Number.String() + " " + res.Matter.Title + "\n"
				case ctx.Err() != nil:
					return
				default: // the parent reads stdout only: a refused write fails the test there
					line = "ERR " + strings.ReplaceAll(err.Error(), "\n", " ") + "\n"
				}
				out.Lock()
				_, werr := os.Stdout.Write([]byte(line)) // one write per line: unbuffered, nothing to flush
				out.Unlock()
				if err != nil || werr != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	s.Close()
}
