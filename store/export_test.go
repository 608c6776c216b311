package store

import (
	"os"

	"github.com/briefbot/briefbot"
)

// SetStage sets the hook Restore and Compact call at their stages, for tests that race
// them; it returns a function that puts the old one back.
func SetStage(fn func(string)) func() {
	old := stage
	stage = fn
	return func() { stage = old }
}

// NeededSize is the size the ledger at path needs by its own header (pages in use ×
// page size), or 0 if the header does not read.
func NeededSize(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	m, ok := readMeta(b, 0)
	if !ok {
		return 0
	}
	return int64(m.pgid) * int64(m.pageSize)
}

// DecodeRecord and EncodeRecord read and write a matter's record as the store does,
// for tests that edit the file as an attacker who knows the format would.
func DecodeRecord(v []byte) (*briefbot.Matter, error) { return decode(v) }
func EncodeRecord(m *briefbot.Matter) []byte          { return encode(m) }
