package briefings

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
)

// compressAbove is the size of a briefing's JSON above which it is kept compressed: a
// briefing of thousands of items is megabytes of JSON (6.7 MB for 7,000 items) that
// compresses thirtyfold, and a replicated ledger takes at most 1.5 MiB in one write.
const compressAbove = 64 << 10

// Document is b as the outbox keeps it, to render again later exactly as sent: its
// JSON, or for a large briefing that JSON gzip-compressed, as a JSON string (base64).
func (b *Briefing) Document() (json.RawMessage, error) {
	doc, err := json.Marshal(b)
	if err != nil || len(doc) <= compressAbove {
		return doc, err
	}
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	if _, err := w.Write(doc); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return json.Marshal(z.Bytes()) // a []byte marshals as a base64 string
}

// ReadDocument reads a briefing kept by Document (either form).
func ReadDocument(raw json.RawMessage) (*Briefing, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var zipped []byte
		if err := json.Unmarshal(raw, &zipped); err != nil {
			return nil, fmt.Errorf("briefing document: %w", err)
		}
		r, err := gzip.NewReader(bytes.NewReader(zipped))
		if err != nil {
			return nil, fmt.Errorf("briefing document: %w", err)
		}
		if raw, err = io.ReadAll(r); err != nil {
			return nil, fmt.Errorf("briefing document: %w", err)
		}
	}
	var b Briefing
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("briefing document: %w", err)
	}
	return &b, nil
}
