package files

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// What Check finds wrong with a file the ledger names.
var (
	ErrMissing   = errors.New("missing: the store does not hold it")
	ErrTruncated = errors.New("truncated: shorter than recorded")
	ErrEdited    = errors.New("edited: its content no longer has its hash")
)

// Problem is a file the ledger names that the store does not hold as recorded: Err is
// ErrMissing, ErrTruncated, ErrEdited, or the error met reading it.
type Problem struct {
	SHA256 string
	Err    error
}

func (p Problem) Error() string { return p.SHA256 + ": " + p.Err.Error() }

// Check verifies every file want names (by hash, with its recorded size) against its
// hash, in hash order. notes lists what the store holds that nothing names (orphans:
// the files of a submission whose ledger write failed after they were committed),
// which is not wrong but worth knowing. err is an error walking the store itself.
func (s *Store) Check(want map[string]int64) (problems []Problem, notes []string, err error) {
	sums := make([]string, 0, len(want))
	for sum := range want {
		sums = append(sums, sum)
	}
	slices.Sort(sums)
	for _, sum := range sums {
		if err := s.verify(sum, want[sum]); err != nil {
			problems = append(problems, Problem{SHA256: sum, Err: err})
		}
	}
	err = filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == s.dir { // never written: it holds nothing
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(s.dir, path)
		switch {
		case d.IsDir() && rel == tmpDir:
			return filepath.SkipDir
		case d.IsDir():
			return nil
		}
		name := filepath.Base(path)
		if _, named := want[name]; !named || rel != filepath.Join(name[:min(2, len(name))], name) {
			notes = append(notes, fmt.Sprintf("not named by any matter: %s", rel))
		}
		return nil
	})
	return problems, notes, err
}

// verify reads the file with hash sum and says whether it is whole and unchanged.
func (s *Store) verify(sum string, size int64) error {
	if !ValidHash(sum) {
		return ErrNotHash
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return ErrMissing
	}
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	switch {
	case err != nil:
		return err
	case n < size:
		return ErrTruncated
	case hex.EncodeToString(h.Sum(nil)) != sum:
		return ErrEdited
	}
	return nil
}

// CopyTo writes the file with hash sum to w, checking it on the way: an error
// (ErrMissing, ErrEdited, ...) says w did not get the file as recorded, and whatever
// w got must be thrown away.
func (s *Store) CopyTo(w io.Writer, sum string) (int64, error) {
	f, err := s.Open(sum)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, ErrMissing
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), f)
	if err != nil {
		return n, err
	}
	if hex.EncodeToString(h.Sum(nil)) != sum {
		return n, ErrEdited
	}
	return n, nil
}
