"""Web pages saved from the browser (.html, .htm), with trafilatura.

The page's main content is extracted as Markdown (headings as ``#`` lines, bold
kept as ``**…**`` so bold labels still read as labels, tables as rows);
navigation, footers, comments and ads are dropped. When trafilatura finds no
main content (a very short page) the page's whole visible text is taken instead,
and ``documents.metadata`` says so (``extraction: page text``). Title, author,
date and site name come from the page's metadata.
"""

from __future__ import annotations

from analysis.load import Document, decode
from analysis.readers.base import error, reader_name, text_document

__all__ = ["read"]


def read(path, data: bytes, *, encoding: str | None = None, doc_id: str | None = None) -> Document:
    import trafilatura

    page, used = decode(data, name=str(path), encoding=encoding)
    if "<" not in page:
        raise error(path, "not an HTML page: no markup at all")
    text = trafilatura.extract(page, output_format="markdown", include_formatting=True, include_tables=True,
                               include_comments=False, include_images=False, with_metadata=False)
    how = "main content"
    if not (text or "").strip():
        text, how = trafilatura.html2txt(page), "page text"
    if not (text or "").strip():
        raise error(path, "web page without any text")
    meta = {"extraction": how}
    info = trafilatura.extract_metadata(page)
    if info is not None:
        for key, value in (("title", info.title), ("author", info.author), ("date", info.date),
                           ("source", info.sitename), ("url", info.url)):
            if value and str(value).strip():
                meta[key] = str(value).strip()
    return text_document(path, data, text.strip() + "\n", fmt="html", reader=reader_name("html", "trafilatura"),
                         encoding=used, doc_id=doc_id, metadata=meta, header=True)
