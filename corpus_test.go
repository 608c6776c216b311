package briefbot_test

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// corpusLine is one text of a test corpus and where it came from.
type corpusLine struct {
	where string // file:line
	text  string
}

// readCorpus reads a corpus file: one text per line, "\n" standing for a line break,
// blank lines and lines starting with # skipped.
func readCorpus(t *testing.T, path string) []corpusLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, corpusLine{path + ":" + itoa(n), strings.ReplaceAll(line, `\n`, "\n")})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
