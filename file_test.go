package briefbot_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
)

const testHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func TestFileType(t *testing.T) {
	for name, want := range map[string]string{
		"关于经费的请示.PDF": "pdf", "报告.ofd": "ofd", "a.b.docx": "docx", "扫描件": "", " scan.TIF ": "tif", ".pdf": "pdf",
	} {
		if got := briefbot.FileType(name); got != want {
			t.Errorf("FileType(%q) = %q; want %q", name, got, want)
		}
	}
}

func TestCheckFile(t *testing.T) {
	rules := briefbot.DefaultIntakeRules()
	if err := rules.CheckFile("关于经费的请示.pdf", 1<<20); err != nil {
		t.Fatalf("CheckFile(pdf, 1 MB) = %v; want nil", err)
	}
	off := rules
	off.FileTypes = nil
	for _, tc := range []struct {
		name   string
		rules  briefbot.IntakeRules
		file   string
		size   int64
		reason briefbot.Reason
		zh     string
	}{
		{"ErrMarkedName", rules, "机密★关于某案的请示.pdf", 100, briefbot.ReasonClassified, "密级"},
		{"ErrType", rules, "setup.exe", 100, briefbot.ReasonFile, "pdf、ofd"},
		{"ErrNoType", rules, "请示", 100, briefbot.ReasonFile, "类型"},
		{"ErrTooLarge", rules, "请示.pdf", 20<<20 + 1, briefbot.ReasonFile, "20.0 MB"},
		{"ErrEmpty", rules, "请示.pdf", 0, briefbot.ReasonFile, "空文件"},
		{"ErrPath", rules, "../../etc/请示.pdf", 100, briefbot.ReasonFile, "路径"},
		{"ErrFilesOff", off, "请示.pdf", 100, briefbot.ReasonFile, "未开启附件"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.rules.CheckFile(tc.file, tc.size)
			if got := briefbot.ErrorReason(err); got != tc.reason {
				t.Fatalf("CheckFile(%q, %d) reason = %q (%v); want %q", tc.file, tc.size, got, err, tc.reason)
			}
			fs := briefbot.ErrorFields(err)
			if len(fs) != 1 || fs[0].Field != briefbot.FieldFiles {
				t.Errorf("fields = %v; want one on %q", fs, briefbot.FieldFiles)
			}
			msg := briefbot.ErrorMessage(err, briefbot.LangZH) + briefbot.ErrorMessage(err, briefbot.LangEN)
			if !strings.Contains(msg, tc.zh) {
				t.Errorf("message %q lacks %q", msg, tc.zh)
			}
			if strings.Contains(msg, strings.TrimSuffix(tc.file, ".pdf")) && tc.file != "请示.pdf" {
				t.Errorf("message %q echoes the file name", msg)
			}
		})
	}
}

func TestCheckIntake_Files(t *testing.T) {
	rules := briefbot.DefaultIntakeRules()
	m := validRequest()
	m.Files = []briefbot.File{{Name: "请示.pdf", Size: 1000, SHA256: testHash, Type: "pdf"}}
	if err := briefbot.CheckIntake(m, testOrg(), rules, day); err != nil {
		t.Fatalf("CheckIntake with a PDF = %v; want nil", err)
	}
	t.Run("ErrMarkedNameStopsAll", func(t *testing.T) {
		m := m.Clone()
		m.Files[0].Name = "秘密★请示.pdf"
		if err := briefbot.CheckStorable(m); briefbot.ErrorReason(err) != briefbot.ReasonClassified {
			t.Errorf("CheckStorable(marked file name) = %v; want classified", err)
		}
		err := briefbot.CheckIntake(m, testOrg(), rules, day)
		if briefbot.ErrorReason(err) != briefbot.ReasonClassified || briefbot.ErrorFields(err)[0].Field != briefbot.FieldFiles {
			t.Errorf("CheckIntake(marked file name) = %v; want classified on files", err)
		}
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		m := m.Clone()
		for len(m.Files) <= rules.MaxFiles {
			m.Files = append(m.Files, m.Files[0])
		}
		if fs := briefbot.ErrorFields(briefbot.CheckIntake(m, testOrg(), rules, day)); len(fs) == 0 || fs[0].Field != briefbot.FieldFiles {
			t.Errorf("fields = %v; want a problem on files", fs)
		}
	})
	t.Run("ErrBadHash", func(t *testing.T) {
		m := m.Clone()
		m.Files[0].SHA256 = "../../etc/passwd"
		if fs := briefbot.ErrorFields(briefbot.CheckIntake(m, testOrg(), rules, day)); len(fs) == 0 || fs[0].Field != briefbot.FieldFiles {
			t.Errorf("fields = %v; want a problem on files", fs)
		}
	})
	t.Run("CloneCopiesFiles", func(t *testing.T) {
		c := m.Clone()
		c.Files[0].Name = "changed.pdf"
		if m.Files[0].Name != "请示.pdf" {
			t.Errorf("changing a clone's file changed the original: %q", m.Files[0].Name)
		}
	})
}
