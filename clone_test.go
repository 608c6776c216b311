package briefbot

import (
	"reflect"
	"testing"
)

// TestClone_SharesNothing fills every slice, pointer and map of a Matter, at every
// depth, and checks that Clone's copy shares none of them with the original: the
// store hands out clones of the matters it keeps decoded, so a field Clone forgot
// would let one caller's change reach every later reader.
func TestClone_SharesNothing(t *testing.T) {
	var m Matter
	fill(reflect.ValueOf(&m).Elem())
	c := m.Clone()
	if !reflect.DeepEqual(&m, c) {
		t.Fatalf("the clone differs from the matter")
	}
	if path := shared(reflect.ValueOf(m), reflect.ValueOf(*c), "Matter"); path != "" {
		t.Fatalf("Clone shares %s with the original: add it to Matter.Clone", path)
	}
}

// fill gives every slice one element, every pointer a value and every map a key,
// recursively.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type().PkgPath() != "" && v.Type().PkgPath() != reflect.TypeFor[Matter]().PkgPath() {
			return // time.Time and the like: values, nothing shared a clone must copy
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(e)
		v.SetMapIndex(k, e)
	case reflect.String:
		v.SetString("x")
	}
}

// shared returns the path of the first slice, pointer or map a and b share, "" if
// none.
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
				return p
			}
		}
	case reflect.Slice:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for i := range min(a.Len(), b.Len()) {
			if p := shared(a.Index(i), b.Index(i), path+"[i]"); p != "" {
				return p
			}
		}
	case reflect.Pointer, reflect.Map:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			return path
		}
		if a.Kind() == reflect.Pointer && !a.IsNil() {
			return shared(a.Elem(), b.Elem(), path)
		}
	}
	return ""
}
