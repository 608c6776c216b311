package files_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/briefbot/briefbot/files"
)

func mustOpen(tb testing.TB) *files.Store {
	tb.Helper()
	s, err := files.Open(filepath.Join(tb.TempDir(), "files"))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// held lists every file under the store's directory, staged ones included.
func held(tb testing.TB, s *files.Store) []string {
	tb.Helper()
	var out []string
	filepath.WalkDir(s.Dir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(s.Dir(), p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

func TestPut(t *testing.T) {
	s := mustOpen(t)
	doc := []byte("%PDF-1.7 关于增加编制的请示")
	got, n, err := s.Put(bytes.NewReader(doc), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if want := sum(doc); got != want || n != int64(len(doc)) {
		t.Fatalf("Put = %s, %d; want %s, %d", got, n, want, len(doc))
	}
	f, err := s.Open(got)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, _ := io.ReadAll(f); !bytes.Equal(b, doc) {
		t.Errorf("Open(%s) reads %q; want %q", got, b, doc)
	}
	if want := []string{filepath.Join(got[:2], got)}; !slicesEqual(held(t, s), want) {
		t.Errorf("held = %v; want %v", held(t, s), want)
	}
	// Again: the same content is kept once.
	if again, _, err := s.Put(bytes.NewReader(doc), 1<<20); err != nil || again != got {
		t.Errorf("Put again = %s, %v; want %s", again, err, got)
	}
	if len(held(t, s)) != 1 {
		t.Errorf("held after putting twice = %v; want one file", held(t, s))
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }

func TestPut_ConcurrentSameContent(t *testing.T) {
	s := mustOpen(t)
	doc := bytes.Repeat([]byte("扫描件"), 10000)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, _, err := s.Put(bytes.NewReader(doc), 0)
			if err == nil && got != sum(doc) {
				err = errors.New("wrong hash " + got)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if h := held(t, s); len(h) != 1 {
		t.Errorf("held = %v; want the one file", h)
	}
	if ps, _, err := s.Check(map[string]int64{sum(doc): int64(len(doc))}); err != nil || len(ps) > 0 {
		t.Errorf("Check = %v, %v; want none", ps, err)
	}
}

func TestStage_LimitExceededLeavesNothing(t *testing.T) {
	s := mustOpen(t)
	_, _, err := s.Put(bytes.NewReader(make([]byte, 1001)), 1000)
	if !errors.Is(err, files.ErrTooLarge) {
		t.Fatalf("Put(1001 bytes, limit 1000) = %v; want ErrTooLarge", err)
	}
	if h := held(t, s); len(h) != 0 {
		t.Errorf("held = %v; want nothing", h)
	}
	// Exactly at the limit is fine.
	if _, n, err := s.Put(bytes.NewReader(make([]byte, 1000)), 1000); err != nil || n != 1000 {
		t.Errorf("Put(1000 bytes, limit 1000) = %d, %v; want 1000, nil", n, err)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("connection reset")
	}
	k := min(len(p), r.n)
	r.n -= k
	return k, nil
}

func TestStage_ReadErrorAndDiscardLeaveNothing(t *testing.T) {
	s := mustOpen(t)
	if _, err := s.Stage(&failingReader{n: 5000}, 0); err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("Stage(failing reader) = %v; want its error", err)
	}
	if h := held(t, s); len(h) != 0 {
		t.Errorf("held after a read error = %v; want nothing", h)
	}
	st, err := s.Stage(strings.NewReader("草稿"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if h := held(t, s); len(h) != 1 || !strings.HasPrefix(h[0], "tmp") {
		t.Errorf("held while staged = %v; want one staged file", h)
	}
	st.Discard()
	st.Discard()
	if h := held(t, s); len(h) != 0 {
		t.Errorf("held after Discard = %v; want nothing", h)
	}
	if _, err := st.Commit(); err == nil {
		t.Errorf("Commit after Discard = nil; want an error")
	}
	if h := held(t, s); len(h) != 0 {
		t.Errorf("held after Commit of a discarded file = %v; want nothing", h)
	}
}

func TestCheck(t *testing.T) {
	s := mustOpen(t)
	put := func(b string) string {
		t.Helper()
		got, _, err := s.Put(strings.NewReader(b), 0)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	good, edited, truncated, orphan := put("完好的请示"), put("将被篡改的报告"), put("将被截短的扫描件"), put("无人引用")
	missing := sum([]byte("从未保存"))
	path := func(h string) string { return filepath.Join(s.Dir(), h[:2], h) }
	if err := os.WriteFile(path(edited), []byte("被篡改后的报告！"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path(truncated), 5); err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{good: int64(len("完好的请示")), edited: int64(len("将被篡改的报告")),
		truncated: int64(len("将被截短的扫描件")), missing: 12}
	problems, notes, err := s.Check(want)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]error{}
	for _, p := range problems {
		got[p.SHA256] = p.Err
	}
	for h, wantErr := range map[string]error{edited: files.ErrEdited, truncated: files.ErrTruncated, missing: files.ErrMissing} {
		if !errors.Is(got[h], wantErr) {
			t.Errorf("problem of %s = %v; want %v", h[:8], got[h], wantErr)
		}
	}
	if _, bad := got[good]; bad || len(problems) != 3 {
		t.Errorf("problems = %v; want exactly the edited, truncated and missing files", problems)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], orphan) {
		t.Errorf("notes = %v; want the orphan %s", notes, orphan)
	}
	var buf bytes.Buffer
	if _, err := s.CopyTo(&buf, edited); !errors.Is(err, files.ErrEdited) {
		t.Errorf("CopyTo(edited) = %v; want ErrEdited", err)
	}
	if _, err := s.CopyTo(&buf, missing); !errors.Is(err, files.ErrMissing) {
		t.Errorf("CopyTo(missing) = %v; want ErrMissing", err)
	}
}

func TestOpen_RefusesNonHash(t *testing.T) {
	s := mustOpen(t)
	outside := filepath.Join(filepath.Dir(s.Dir()), "secret")
	os.WriteFile(outside, []byte("x"), 0o600)
	for _, name := range []string{"../secret", "../../etc/passwd", "", strings.Repeat("A", 64), strings.Repeat("a", 63) + "/",
		"tmp/" + strings.Repeat("a", 60)} {
		if f, err := s.Open(name); !errors.Is(err, files.ErrNotHash) {
			if f != nil {
				f.Close()
			}
			t.Errorf("Open(%q) = %v; want ErrNotHash", name, err)
		}
		if s.Has(name) {
			t.Errorf("Has(%q) = true", name)
		}
	}
	if _, err := s.Open(sum([]byte("absent"))); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(absent hash) = %v; want not exist", err)
	}
}
