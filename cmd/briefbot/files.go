package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/files"
	"github.com/briefbot/briefbot/store"
)

// checkFiles verifies every file the ledger's matters name against its hash, and
// returns a line for each bad file naming the matters that hold it (a restricted
// matter by its number only, never its file's name), and notes (files no matter
// names).
func checkFiles(ctx context.Context, s *store.Store, fs *files.Store) (problems, notes []string, err error) {
	want := map[string]int64{}
	holders := map[string][]string{}
	err = s.Each(ctx, briefbot.Filter{}, func(m *briefbot.Matter) bool {
		for _, f := range m.Files {
			want[f.SHA256] = max(want[f.SHA256], f.Size)
			who := briefbot.RefOf(m).String()
			if len(m.Restricted) == 0 {
				who += "（" + f.Name + "）"
			} else {
				who += "（限定范围 / restricted）"
			}
			holders[f.SHA256] = append(holders[f.SHA256], who)
		}
		return true
	})
	if err != nil {
		return nil, nil, err
	}
	bad, notes, err := fs.Check(want)
	for _, p := range bad {
		problems = append(problems, fmt.Sprintf("file %s %v — held by %s", p.SHA256, p.Err, strings.Join(holders[p.SHA256], ", ")))
	}
	return problems, notes, err
}

// archivedFile is one entry of a matter's files.json in the archive.
type archivedFile struct {
	briefbot.File
	Path string `json:"path"` // in the matter's folder
}

// archiveFiles copies m's files into its archive folder fd (files/N-NAME), each
// checked against its hash on the way, and lists them in files.json. A file that
// fails its check stops the export: an archive never holds a document other than
// the one recorded.
func archiveFiles(fs *files.Store, fd string, m *briefbot.Matter) error {
	list := []archivedFile{}
	for i, f := range m.Files {
		rel := filepath.Join("files", fmt.Sprintf("%d-%s", i+1, safeFileName(f.Name)))
		if err := os.MkdirAll(filepath.Join(fd, "files"), 0o750); err != nil {
			return err
		}
		if err := copyChecked(fs, filepath.Join(fd, rel), f.SHA256); err != nil {
			return fmt.Errorf("%s: file %s: %w", briefbot.RefOf(m), f.SHA256, err)
		}
		list = append(list, archivedFile{File: f, Path: filepath.ToSlash(rel)})
	}
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(fd, "files.json"), append(b, '\n'), 0o640)
}

// copyChecked writes the stored file sum to path; if it does not check, nothing is
// left at path.
func copyChecked(fs *files.Store, path, sum string) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	_, err = fs.CopyTo(out, sum)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// safeFileName is name as a file name on any system: no path, no control or
// reserved characters, not too long.
func safeFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	name = strings.TrimLeft(name, ".")
	if r := []rune(name); len(r) > 100 {
		ext := filepath.Ext(name)
		name = string(r[:100-len([]rune(ext))]) + ext
	}
	if name == "" {
		name = "file"
	}
	return name
}
