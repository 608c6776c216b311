// Package files is the file store beside the ledger: the documents attached to
// matters, each kept once under the SHA-256 of its content (content-addressed), so a
// file is never overwritten with other bytes and any change to it is found by its hash.
//
// A file is written in two steps: staged (written to a temporary file, hashed, its
// size bounded, flushed to disk), then committed (renamed into place) or discarded.
// The bot stages a matter's files while it checks them and commits them only when the
// matter is about to be stored, so a refused form or a cancelled conversation keeps
// nothing, and a stored matter never names a file that is not on disk.
package files

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Errors of staging and opening files.
var (
	// ErrTooLarge is returned by a staged file's Write (and so by Stage) once more
	// bytes are written than its limit allows. Nothing of the file is kept.
	ErrTooLarge = errors.New("files: file larger than its limit")
	// ErrNotHash is returned by Open and Has for a name that is not a SHA-256 in
	// lower-case hex: nothing outside the store can be named.
	ErrNotHash = errors.New("files: not a SHA-256")
	// ErrDone is returned by a staged file used after Commit or Discard.
	ErrDone = errors.New("files: staged file already committed or discarded")
)

// tmpDir is the store's folder of staged files, and tmpMaxAge how old a staged file
// left by a process that stopped must be before Open removes it.
const (
	tmpDir    = "tmp"
	tmpMaxAge = 24 * time.Hour
)

// Store is a content-addressed file store in one directory: each file at
// <dir>/<first two hex digits>/<sha256>. It is safe for concurrent use, also by several
// processes sharing the directory.
type Store struct {
	dir string
}

// Open returns the store in dir, creating it if need be. Staged files older than a
// day, left by a process that stopped while staging, are removed.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, tmpDir), 0o750); err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	s := &Store{dir: dir}
	if es, err := os.ReadDir(filepath.Join(dir, tmpDir)); err == nil {
		for _, e := range es {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > tmpMaxAge {
				os.Remove(filepath.Join(dir, tmpDir, e.Name()))
			}
		}
	}
	return s, nil
}

// At returns the store in dir without touching the disk: for reading and checking
// (a store that was never written holds nothing).
func At(dir string) *Store { return &Store{dir: dir} }

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }

// path is where the file with hash sum lives.
func (s *Store) path(sum string) string { return filepath.Join(s.dir, sum[:2], sum) }

// ValidHash reports whether sum names a file: a SHA-256 in lower-case hex.
func ValidHash(sum string) bool {
	if len(sum) != sha256.Size*2 {
		return false
	}
	for _, c := range []byte(sum) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Staged is a file being written to the store: bytes written to it are hashed and
// counted, up to its limit. Done flushes it to disk and says its hash and size; Commit
// puts it in place; Discard removes it. A Staged is used by one goroutine.
type Staged struct {
	s     *Store
	f     *os.File
	name  string // the temporary file's path
	h     hash.Hash
	n     int64
	limit int64
	sum   string
	err   error // the first write error: the file cannot be committed
	done  bool
}

// Create starts a staged file of at most limit bytes (limit <= 0: no limit).
func (s *Store) Create(limit int64) (*Staged, error) {
	f, err := os.CreateTemp(filepath.Join(s.dir, tmpDir), "staged-*")
	if err != nil {
		return nil, fmt.Errorf("files: stage: %w", err)
	}
	return &Staged{s: s, f: f, name: f.Name(), h: sha256.New(), limit: limit}, nil
}

// Write writes p to the staged file. Past the limit it writes nothing more and
// returns ErrTooLarge.
func (st *Staged) Write(p []byte) (int, error) {
	switch {
	case st.done || st.f == nil:
		return 0, ErrDone
	case st.err != nil:
		return 0, st.err
	case st.limit > 0 && st.n+int64(len(p)) > st.limit:
		st.err = ErrTooLarge
		return 0, st.err
	}
	n, err := st.f.Write(p)
	st.h.Write(p[:n])
	st.n += int64(n)
	if err != nil {
		st.err = fmt.Errorf("files: stage: %w", err)
		return n, st.err
	}
	return n, nil
}

// Done ends writing: the file is flushed to disk and closed. It returns the file's
// hash (hex SHA-256) and size, or the first error met writing it.
func (st *Staged) Done() (sum string, size int64, err error) {
	if st.done {
		return "", 0, ErrDone
	}
	if st.f != nil {
		if err := st.f.Sync(); err != nil && st.err == nil {
			st.err = fmt.Errorf("files: stage: %w", err)
		}
		if err := st.f.Close(); err != nil && st.err == nil {
			st.err = fmt.Errorf("files: stage: %w", err)
		}
		st.sum = hex.EncodeToString(st.h.Sum(nil))
		st.f = nil
	}
	return st.sum, st.n, st.err
}

// Commit puts the staged file in the store under its hash (calling Done if it was not
// called). A file with that hash already there is kept as it is: same hash, same
// content. After Commit the Staged is spent.
func (st *Staged) Commit() (string, error) {
	sum, _, err := st.Done()
	if err != nil {
		st.Discard()
		return "", err
	}
	tmp := st.name
	st.done = true
	dst := st.s.path(sum)
	if _, err := os.Stat(dst); err == nil {
		os.Remove(tmp)
		return sum, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("files: commit: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("files: commit: %w", err)
	}
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return "", fmt.Errorf("files: commit: %w", err)
	}
	return sum, nil
}

// Discard removes the staged file. It is safe to call more than once, and after
// Commit (when it does nothing).
func (st *Staged) Discard() {
	if st.done {
		return
	}
	tmp := st.name
	if st.f != nil {
		st.f.Close()
		st.f = nil
	}
	st.done = true
	os.Remove(tmp)
}

// Stage writes r to a staged file of at most limit bytes. On any error (reading r,
// writing, ErrTooLarge) nothing is kept.
func (s *Store) Stage(r io.Reader, limit int64) (*Staged, error) {
	st, err := s.Create(limit)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(st, r); err != nil {
		st.Discard()
		return nil, err
	}
	if _, _, err := st.Done(); err != nil {
		st.Discard()
		return nil, err
	}
	return st, nil
}

// Put stores r (at most limit bytes) and returns its hash and size: Stage, then
// Commit.
func (s *Store) Put(r io.Reader, limit int64) (sum string, size int64, err error) {
	st, err := s.Stage(r, limit)
	if err != nil {
		return "", 0, err
	}
	size = st.n
	sum, err = st.Commit()
	return sum, size, err
}

// Open opens the file with hash sum for reading. A name that is not a hash is
// refused with ErrNotHash; a hash the store does not hold gives an error satisfying
// errors.Is(err, fs.ErrNotExist).
func (s *Store) Open(sum string) (*os.File, error) {
	if !ValidHash(sum) {
		return nil, ErrNotHash
	}
	return os.Open(s.path(sum))
}

// Has reports whether the store holds a file with hash sum.
func (s *Store) Has(sum string) bool {
	if !ValidHash(sum) {
		return false
	}
	_, err := os.Stat(s.path(sum))
	return err == nil
}

// syncDir flushes a directory's entries (the rename) to disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !strings.Contains(err.Error(), "invalid argument") {
		return err
	}
	return nil
}
