import { useState } from 'preact/hooks';
import { uploadBackground } from '../api/memelab-api.ts';
import { type ApiProblem, toProblem } from '../api/problem.ts';
import type { UploadedBackground } from '../api/resources.ts';
import { ImageDropZone } from './ImageDropZone.tsx';

interface BackgroundUploadProps {
  readonly onUploaded: (background: UploadedBackground, file: File) => void;
  readonly onProblem: (problem: ApiProblem) => void;
}

/** Puts captions on a picture of the user's own instead of a template. */
export const BackgroundUpload = ({ onUploaded, onProblem }: BackgroundUploadProps) => {
  const [uploading, setUploading] = useState(false);
  const upload = async (file: File) => {
    setUploading(true);
    try {
      onUploaded(await uploadBackground(file), file);
    } catch (error) {
      onProblem(toProblem(error));
    } finally {
      setUploading(false);
    }
  };
  return (
    <section class="panel upload" aria-labelledby="upload-heading" data-testid="background-upload">
      <h2 id="upload-heading">Your own picture</h2>
      <ImageDropZone
        label="Upload a picture"
        hint={uploading ? 'Uploading…' : 'PNG, JPEG, WebP or GIF up to 10 MB: choose a file or drop it here.'}
        disabled={uploading}
        onFile={(file) => void upload(file)}
        testId="background-file"
      />
    </section>
  );
};
