#!/usr/bin/env python3
"""Writes src/ecs/records.rs from the installed official SDK's models.

The record types of `DescribeDisks`, `DescribeInstances`, `DescribeImages`,
`DescribeSnapshots` and `DescribeKeyPairs` (alibabacloud-ecs20140526): every field each model's
`to_map` writes, in that order, with the SDK's type and its first comment
line. Run from the workspace root with the SDK's Python:

    python scripts/ecs_records.py > src/ecs/records.rs && cargo fmt --all

tests/ecs.rs holds the Rust records to the list this script prints with
`--names` (tests/ecs-fields.txt), and python/tests/test_ecs_fields.py holds
that list to the installed SDK.
"""
import ast
import os
import re
import sys

import alibabacloud_ecs20140526

MODELS = os.path.join(os.path.dirname(alibabacloud_ecs20140526.__file__), "models")
RECORDS = [
    ("Disk", "DescribeDisksResponseBodyDisksDisk", "_describe_disks_response_body.py"),
    ("Instance", "DescribeInstancesResponseBodyInstancesInstance", "_describe_instances_response_body.py"),
    ("Image", "DescribeImagesResponseBodyImagesImage", "_describe_images_response_body.py"),
    ("Snapshot", "DescribeSnapshotsResponseBodySnapshotsSnapshot", "_describe_snapshots_response_body.py"),
    ("KeyPair", "DescribeKeyPairsResponseBodyKeyPairsKeyPair", "_describe_key_pairs_response_body.py"),
]
SCALARS = {"str": "String", "int": "i64", "bool": "bool", "float": "f64"}
SNAKE = {"CurrentOSNVMeSupported": "current_os_nvme_supported", "VSwitchId": "vswitch_id"}


def snake(name):
    if name in SNAKE:
        return SNAKE[name]
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z]|$)|[A-Z]?[a-z]+\d*|\d+|[A-Z]+", name)
    s = "_".join(p.lower() for p in parts)
    return "r#type" if s == "type" else s


def read_classes(path):
    """Each class of the file: [(key, attr, annotation, comment)] in to_map order."""
    source = open(path, encoding="utf-8").read()
    lines = source.splitlines()
    classes = {}
    for c in ast.parse(source).body:
        if not isinstance(c, ast.ClassDef):
            continue
        init = next(n for n in c.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
        ann = {a.arg: ast.unparse(a.annotation) for a in init.args.args[1:]}
        comments = {}
        pending = []
        for no in range(init.body[0].lineno - 1, init.end_lineno):
            text = lines[no].strip()
            if text.startswith("#"):
                pending.append(text.lstrip("#").strip())
            elif text.startswith("self."):
                comments[text.split("=")[0].strip()[5:]] = pending
                pending = []
        to_map = next(n for n in c.body if isinstance(n, ast.FunctionDef) and n.name == "to_map")
        keys = []
        for node in ast.walk(to_map):
            if isinstance(node, ast.If):
                test = node.test
                if isinstance(test, ast.Compare) and isinstance(test.left, ast.Attribute):
                    attr = test.left.attr
                    for sub in ast.walk(node):
                        if isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) and sub.value.id == "result":
                            keys.append((node.lineno, sub.slice.value, attr))
                            break
            if isinstance(node, ast.For) and isinstance(node.iter, ast.Attribute):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) and sub.value.id == "result":
                        keys.append((node.lineno, sub.slice.value, node.iter.attr))
                        break
        seen = set()
        fields = []
        for _, key, attr in sorted(keys):
            if key in seen:
                continue
            seen.add(key)
            fields.append((key, attr, ann[attr], comments.get(attr, [])))
        classes[c.name] = fields
    return classes


def sdk_type(annotation):
    """('scalar'|'model', name, is_list)."""
    is_list = annotation.startswith("List[")
    inner = annotation[5:-1] if is_list else annotation
    if inner.startswith("main_models."):
        return "model", inner[len("main_models."):], is_list
    return "scalar", inner, is_list


def main():
    classes = {}
    for _, cls, file in RECORDS:
        classes.update(read_classes(os.path.join(MODELS, file)))

    out = []  # (rust name, sdk class, doc, [(key, rust field, rust type, list, comment, sdk annotation)])
    named = {}

    def shared(cls):
        fields = classes[cls]
        shape = [(k, a) for k, _, a, _ in fields]
        if [k for k, _ in shape] == ["Tag"]:
            return "Tags"
        if [k for k, _, _, _ in classes.get(cls, [])] == ["TagKey", "TagValue"]:
            return "Tag"
        if shape == [("IpAddress", "List[str]")]:
            return "IpAddresses"
        return None

    def emit(rust, cls):
        if cls in named:
            return named[cls]
        named[cls] = rust
        fields = []
        for key, attr, annotation, comment in classes[cls]:
            kind, name, is_list = sdk_type(annotation)
            if kind == "scalar":
                ty = SCALARS[name]
            else:
                if is_list:
                    # An element of a wrapper: named after its owner (the
                    # wrapper's owner) and its own key.
                    owner = rust[: -len(cls_key[cls])] if cls in cls_key and rust.endswith(cls_key[cls]) else rust
                    sub = shared(name) or owner + key
                else:
                    sub = shared(name) or rust + key
                cls_key[name] = key
                ty = emit(sub, name)
            fields.append((key, snake(key), ty, is_list, comment, annotation))
        if rust not in [o[0] for o in out]:
            out.append((rust, cls, fields))
        return rust

    cls_key = {}
    for rust, cls, _ in RECORDS:
        emit(rust, cls)

    if "--names" in sys.argv:
        # Each object's path from its record (a list's element by its own
        # key) and its fields, in order: what tests/ecs.rs holds the Rust
        # records to.
        by_name = {rust: fields for rust, _, fields in out}

        def walk(path, rust):
            fields = by_name[rust]
            print(path + ": " + " ".join(k for k, *_ in fields))
            for key, _, ty, _, _, annotation in fields:
                if "main_models." in annotation:
                    walk(path + "." + key, ty)

        for rust, _, _ in RECORDS:
            walk(rust, rust)
        return

    print("// @generated by scripts/ecs_records.py from alibabacloud-ecs20140526")
    print("// (the official Python SDK's models); do not edit by hand.")
    print("//! The records, as the SDK's models declare them (generated).")
    print()
    print("use serde::{Deserialize, Serialize};")
    for rust, cls, fields in out:
        print()
        print(f"/// `{cls}` in the official SDK: {len(fields)} fields, in the order its `to_map` writes them.")
        print("#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]")
        print("#[non_exhaustive]")
        print(f"pub struct {rust} {{")
        for key, field, ty, is_list, comment, annotation in fields:
            first = next((c for c in comment if c and not c.startswith(">")), "")
            first = first.replace("`", "'").replace("[", "(").replace("]", ")").replace("<", "(").replace(">", ")")
            doc = f"`{key}` (SDK `{annotation.replace('main_models.', '')}`)"
            print(f"    /// {doc}{': ' + first if first else '.'}")
            if is_list:
                print(f'    #[serde(rename = "{key}", default)]')
                print(f"    pub {field}: Vec<{ty}>,")
            else:
                print(f'    #[serde(rename = "{key}", default, skip_serializing_if = "Option::is_none")]')
                print(f"    pub {field}: Option<{ty}>,")
        print("}")
        if rust in [r for r, _, _ in RECORDS]:
            # The top-level records: a record's own fields over another's
            # (src/ecs/fields.rs: a scenario's ECS fields over the
            # describer's defaults).
            print()
            print(f"impl {rust} {{")
            print("    /// `other`'s fields over this record's: each field `other` sets")
            print("    /// (`Some`, or a list that is not empty) replaces this one's.")
            print("    pub fn overlay(&mut self, other: Self) {")
            for key, field, ty, is_list, comment, annotation in fields:
                if is_list:
                    print(f"        if !other.{field}.is_empty() {{")
                else:
                    print(f"        if other.{field}.is_some() {{")
                print(f"            self.{field} = other.{field};")
                print("        }")
            print("    }")
            print()
            print("    /// Unsets the field named `field` (as ECS spells it); whether it was")
            print("    /// set.")
            print("    pub fn clear(&mut self, field: &str) -> bool {")
            print("        match field {")
            for key, field, ty, is_list, comment, annotation in fields:
                if is_list:
                    print(f'            "{key}" => !core::mem::take(&mut self.{field}).is_empty(),')
                else:
                    print(f'            "{key}" => self.{field}.take().is_some(),')
            print("            _ => false,")
            print("        }")
            print("    }")
            print("}")


main()
