#!/usr/bin/env python3
"""Workbooks for the report-file tests, made WITHOUT the project's own writer:
only Python's zipfile and XML strings / ElementTree.

  xlsx_tool.py make OUT.xlsx [--first-row N] ID=SPEC...
      a workbook as another program would save it: title in row 1, headers
      (指标编号 指标名称 计量单位 目标 本月值 说明) in row N-1 (default N=3),
      one row per ID from row N, value in column E.  SPEC:
        n:1310.5        a stored number (displayed as 1.31E+03 by its format)
        s:TEXT          a shared string        i:TEXT   an inline string
        f:A1*2=36.5     a formula with its cached value
        e:#DIV/0!       an error cell (formula 1/0)
  xlsx_tool.py fill TEMPLATE.xlsx OUT.xlsx ID=VALUE...
      the template with values typed into the 本月值 cells only (a number is
      stored as a number, anything else as an inline string); every other
      byte of the workbook stays as it was
  xlsx_tool.py check TEMPLATE.xlsx
      prints facts about the template as JSON (protection, locked cells,
      validations, input messages, page set-up, title, headers)
  xlsx_tool.py bomb OUT.xlsx MIB
      a workbook whose sheet unpacks to MIB MiB (a zip bomb)
"""
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"m": M}
HEAD = ["指标编号", "指标名称", "计量单位", "目标", "本月值", "说明"]

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId7"/></sheets></workbook>""" % (M, R)
WB_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="%s"><numFmts count="1"><numFmt numFmtId="11" formatCode="0.00E+00"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="11" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>""" % M


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def col_name(c):
    s = ""
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def make(out, specs, first_row):
    sst = []

    def ss(text):
        sst.append(text)
        return len(sst) - 1

    rows = ['<row r="1"><c r="A1" t="s"><v>%d</v></c></row>' % ss("吉首市 2018年2月 月报")]
    hr = first_row - 1
    rows.append('<row r="%d">%s</row>' % (hr, "".join(
        '<c r="%s%d" t="s"><v>%d</v></c>' % (col_name(i + 1), hr, ss(h)) for i, h in enumerate(HEAD))))
    r = first_row
    for spec in specs:
        iid, val = spec.split("=", 1)
        kind, text = val.split(":", 1)
        cells = ['<c r="A%d" t="s"><v>%d</v></c>' % (r, ss(iid)), '<c r="D%d"><v>100</v></c>' % r]
        e = "E%d" % r
        if kind == "n":
            cells.append('<c r="%s" s="1"><v>%s</v></c>' % (e, text))
        elif kind == "s":
            cells.append('<c r="%s" t="s"><v>%d</v></c>' % (e, ss(text)))
        elif kind == "i":
            cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (e, esc(text)))
        elif kind == "f":
            formula, cached = text.rsplit("=", 1)
            cells.append('<c r="%s"><f>%s</f><v>%s</v></c>' % (e, esc(formula), cached))
        elif kind == "e":
            cells.append('<c r="%s" t="e"><f>1/0</f><v>%s</v></c>' % (e, esc(text)))
        else:
            sys.exit("unknown spec " + spec)
        rows.append('<row r="%d">%s</row>' % (r, "".join(cells)))
        r += 1
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="%s">'
             '<sheetData>%s</sheetData></worksheet>' % (M, "".join(rows)))
    sst_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>'
               % (M, len(sst), len(sst), "".join("<si><t>%s</t></si>" % esc(s) for s in sst)))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/sharedStrings.xml", sst_xml)
        z.writestr("xl/worksheets/sheet1.xml", sheet)


def shared_strings(z):
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    root = ET.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter("{%s}t" % M)) for si in root.findall("m:si", NS)]


def cell_text(c, sst):
    v = c.find("m:v", NS)
    if c.get("t") == "s" and v is not None:
        return sst[int(v.text)]
    if c.get("t") == "inlineStr":
        return "".join(t.text or "" for t in c.iter("{%s}t" % M))
    return v.text if v is not None else None


def sheet_cells(z):
    sst = shared_strings(z)
    root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    cells = {}
    for c in root.iter("{%s}c" % M):
        cells[c.get("r")] = (cell_text(c, sst), c.get("s"))
    return root, cells


def split_ref(ref):
    m = re.match(r"([A-Z]+)(\d+)$", ref)
    return m.group(1), int(m.group(2))


def header_columns(cells):
    cols, row = {}, None
    for ref, (text, _) in cells.items():
        if text in ("指标编号", "本月值", "说明", "目标", "上月值", "指标名称", "计量单位"):
            col, row = split_ref(ref)
            cols[text] = col
    return cols, row


def fill(template, out, pairs):
    with zipfile.ZipFile(template) as z:
        _, cells = sheet_cells(z)
        cols, hrow = header_columns(cells)
        vcol = cols["本月值"]
        rows = {}
        for ref, (text, _) in cells.items():
            col, r = split_ref(ref)
            if col == cols["指标编号"] and r > hrow:
                rows[text] = r
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        for p in pairs:
            iid, value = p.split("=", 1)
            ref = "%s%d" % (vcol, rows[iid])
            try:
                float(value)
                body = '><v>%s</v></c>' % value
                t = ""
            except ValueError:
                body = '><is><t>%s</t></is></c>' % esc(value)
                t = ' t="inlineStr"'
            pat = re.compile(r'<c r="%s"( s="\d+")?\s*/>' % ref)
            sheet, n = pat.subn(lambda m: '<c r="%s"%s%s%s' % (ref, m.group(1) or "", t, body), sheet)
            if n != 1:
                sys.exit("no empty cell %s in the template" % ref)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as o:
            for info in z.infolist():
                data = z.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = sheet.encode("utf-8")
                o.writestr(info, data)


def check(path):
    with zipfile.ZipFile(path) as z:
        root, cells = sheet_cells(z)
        styles = ET.fromstring(z.read("xl/styles.xml"))
        xfs = styles.find("m:cellXfs", NS).findall("m:xf", NS)

        def locked(ref):
            s = cells.get(ref, (None, None))[1]
            xf = xfs[int(s)] if s is not None else xfs[0]
            p = xf.find("m:protection", NS)
            return not (p is not None and p.get("locked") == "0")

        cols, hrow = header_columns(cells)
        prot = root.find("m:sheetProtection", NS)
        setup = root.find("m:pageSetup", NS)
        dvs = root.find("m:dataValidations", NS)
        facts = {
            "title": cells.get("A1", (None,))[0],
            "headers": [cells.get("%s%d" % (col_name(i), hrow), (None,))[0] for i in range(1, 8)],
            "header_row": hrow,
            "protection": dict(prot.attrib) if prot is not None else None,
            "orientation": setup.get("orientation") if setup is not None else None,
            "paper": setup.get("paperSize") if setup is not None else None,
            "locked": {},
            "validations": [],
        }
        for ref, (text, _) in sorted(cells.items()):
            col, r = split_ref(ref)
            if r > hrow and col == cols["指标编号"]:
                facts["locked"][text] = {k: locked("%s%d" % (cols[k], r))
                                         for k in ("指标编号", "目标", "本月值", "说明")}
        for dv in (dvs.findall("m:dataValidation", NS) if dvs is not None else []):
            f1 = dv.find("m:formula1", NS)
            f2 = dv.find("m:formula2", NS)
            facts["validations"].append({
                "sqref": dv.get("sqref"), "type": dv.get("type"),
                "formula1": f1.text if f1 is not None else None,
                "formula2": f2.text if f2 is not None else None,
                "promptTitle": dv.get("promptTitle"), "prompt": dv.get("prompt")})
        print(json.dumps(facts, ensure_ascii=False, indent=1))


def bomb(out, mib):
    head = '<worksheet xmlns="%s"><sheetData>' % M
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", head + " " * (mib << 20) + "</sheetData></worksheet>")


def main():
    a = sys.argv[1:]
    if a and a[0] == "make":
        first = 3
        if len(a) > 2 and a[2] == "--first-row":
            first = int(a[3])
            a = a[:2] + a[4:]
        make(a[1], a[2:], first)
    elif a and a[0] == "fill":
        fill(a[1], a[2], a[3:])
    elif a and a[0] == "check":
        check(a[1])
    elif a and a[0] == "bomb":
        bomb(a[1], int(a[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
