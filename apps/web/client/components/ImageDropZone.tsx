import { useState } from 'preact/hooks';

interface ImageDropZoneProps {
  readonly label: string;
  readonly hint: string;
  readonly disabled?: boolean;
  readonly onFile: (file: File) => void;
  readonly testId: string;
}

const ACCEPT = 'image/png,image/jpeg,image/webp,image/gif';

/** A file picker that also takes a dropped image; the input inside keeps it usable by keyboard. */
export const ImageDropZone = ({ label, hint, disabled = false, onFile, testId }: ImageDropZoneProps) => {
  const [over, setOver] = useState(false);
  const take = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file !== undefined) onFile(file);
  };
  return (
    <label
      class={over ? 'drop-zone drop-zone--over' : 'drop-zone'}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        if (!disabled) take(event.dataTransfer?.files);
      }}
    >
      <span class="field__label">{label}</span>
      <span class="muted small">{hint}</span>
      <input
        type="file"
        accept={ACCEPT}
        disabled={disabled}
        onChange={(event) => {
          take(event.currentTarget.files);
          // Choosing the same file again should upload it again.
          event.currentTarget.value = '';
        }}
        data-testid={testId}
      />
    </label>
  );
};
