package briefbot

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf8"
)

// File is a document attached to a matter (the signed 请示 or 报告 as a PDF, an OFD, a
// DOCX, a scan): its name as the member gave it, its size in bytes, and the hex
// SHA-256 of its content, under which the file store keeps it beside the ledger. A
// stored matter names only files the file store holds: the file is stored first.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	Type   string `json:"type"` // FileType of the name: pdf, ofd, docx, ...
}

// ShortHash is the first 12 hex digits of the file's hash, as cards show it.
func (f File) ShortHash() string {
	if len(f.SHA256) < 12 {
		return f.SHA256
	}
	return f.SHA256[:12]
}

// FileType is the type of a file by its name: the extension, lower case, without the
// dot ("" if it has none).
func FileType(name string) string {
	return strings.ToLower(strings.TrimPrefix(path.Ext(strings.TrimSpace(name)), "."))
}

// DefaultFileTypes are the attachments accepted unless configured otherwise: signed
// documents (PDF, OFD — the national standard for electronic official documents —
// Word and WPS files) and scans.
func DefaultFileTypes() []string {
	return []string{"pdf", "ofd", "docx", "doc", "wps", "jpg", "jpeg", "png", "tif", "tiff"}
}

// maxFileName bounds a file's name, in characters.
const maxFileName = 255

// FilesOn reports whether the rules accept attached files at all.
func (r IntakeRules) FilesOn() bool {
	return len(r.FileTypes) > 0 && r.MaxFileSize > 0 && r.MaxFiles > 0
}

// CheckFile decides whether a file named name of size bytes may be attached, before
// it is fetched: a name without a classification marking, of an accepted type, no
// larger than the limit. The refusal (EINVALID on FieldFiles) never quotes the name.
// size < 0 means not known yet.
func (r IntakeRules) CheckFile(name string, size int64) error {
	var msg Text
	switch t := FileType(name); {
	case !r.FilesOn():
		msg = msgFilesOff
	case HasClassificationMarking(name):
		return &Error{Code: EINVALID, Reason: ReasonClassified, Msg: msgClassified,
			Fields: []FieldError{{Field: FieldFiles, Msg: msgClassified}}}
	case strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > maxFileName || strings.ContainsAny(name, "/\\\x00"):
		msg = msgFileName
	case !slices.Contains(r.FileTypes, t):
		msg = msgFileType(r.FileTypes)
	case size > r.MaxFileSize:
		msg = msgFileTooLarge(r.MaxFileSize)
	case size == 0:
		msg = msgFileEmpty
	default:
		return nil
	}
	return FieldErrorf(ReasonFile, FieldFiles, msg)
}

// checkFiles adds the problems of m's files: how many, and each one's name, type and
// size (CheckFile), and a well-formed hash where one is recorded.
func (c *intakeCheck) checkFiles() {
	m, r := c.m, c.rules
	if len(m.Files) == 0 {
		return
	}
	if len(m.Files) > r.MaxFiles {
		c.add(FieldFiles, msgTooMany(r.MaxFiles))
	}
	for _, f := range m.Files {
		if err := r.CheckFile(f.Name, f.Size); err != nil {
			c.fe = append(c.fe, ErrorFields(err)...)
			return
		}
		if f.SHA256 != "" && !ValidSHA256(f.SHA256) {
			c.add(FieldFiles, msgFileName)
			return
		}
	}
}

// ValidSHA256 reports whether s is a SHA-256 in lower-case hex.
func ValidSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// SizeText is size for people: bytes, KB or MB.
func SizeText(size int64) string {
	switch {
	case size >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(size)/(1<<20))
	case size >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(size)/(1<<10))
	}
	return fmt.Sprintf("%d B", size)
}

func msgFileType(types []string) Text {
	return Text{"附件只能是以下类型：" + strings.Join(types, "、") + "。本次未保存任何附件。",
		"Attachments must be one of: " + strings.Join(types, ", ") + ". No file was kept."}
}

func msgFileTooLarge(max int64) Text {
	return Text{fmt.Sprintf("附件过大：每个文件不得超过 %s。本次未保存任何附件。", SizeText(max)),
		fmt.Sprintf("An attachment is too large: each file must be at most %s. No file was kept.", SizeText(max))}
}

var (
	msgFilesOff  = Text{"本系统未开启附件文件，请以链接方式提供附件。", "File attachments are off here: give attachments as links."}
	msgFileName  = Text{"附件文件名不符合要求（不能为空、不能含路径，255 字以内）。本次未保存任何附件。", "An attachment's name is not acceptable (not empty, no path, at most 255 characters). No file was kept."}
	msgFileEmpty = Text{"附件是空文件。本次未保存任何附件。", "An attachment is empty. No file was kept."}
)
