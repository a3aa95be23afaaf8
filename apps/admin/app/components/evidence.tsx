import type { EvidenceFile } from "@dn/schema";

const KIND: Record<EvidenceFile["mediaType"], string> = {
  "application/pdf": "PDF",
  "image/png": "PNG image",
  "image/jpeg": "JPEG image",
};

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The files of a record: each shown inline (image or PDF) with a link, duplicates flagged. */
export function EvidenceList({ files, title }: { files: EvidenceFile[]; title: string }) {
  if (files.length === 0) {
    return <p className="muted evidence-none">No certificate attached.</p>;
  }
  return (
    <ul className="evidence-list" aria-label={`Certificates for ${title}`}>
      {files.map((file) => (
        <li key={file.id} className="evidence">
          <figure className="evidence__preview">
            {file.mediaType === "application/pdf" ? (
              <object
                data={`/evidence/${file.id}`}
                type="application/pdf"
                aria-label={`Certificate ${file.fileName}`}
                className="evidence__pdf"
              >
                <a href={`/evidence/${file.id}`}>Open {file.fileName}</a>
              </object>
            ) : (
              <img
                src={`/evidence/${file.id}`}
                alt={`Certificate ${file.fileName}`}
                className="evidence__image"
              />
            )}
            <figcaption>
              <a href={`/evidence/${file.id}`} target="_blank" rel="noreferrer">
                {file.fileName}
              </a>{" "}
              <span className="muted">
                {KIND[file.mediaType]} · {size(file.sizeBytes)}
              </span>
            </figcaption>
          </figure>
          {file.duplicates.length > 0 ? (
            <p className="evidence__duplicate" role="note">
              The same file is also attached to{" "}
              {file.duplicates.map((d) => `“${d.title}” (${d.practitionerName})`).join(", ")}.
            </p>
          ) : null}
          {file.duplicateElsewhere ? (
            <p className="evidence__duplicate" role="note">
              {file.duplicates.length > 0
                ? "It is on other records as well."
                : "The same file was already uploaded elsewhere in the organization."}
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
