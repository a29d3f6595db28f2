import { useEffect, useRef } from 'preact/hooks';
import { type ApiProblem, toProblem } from '../api/problem.ts';
import { drawPreview, type PreviewRequest } from '../preview/preview-renderer.ts';

interface PreviewCanvasProps {
  readonly request: PreviewRequest;
  readonly label: string;
  readonly onProblem: (problem: ApiProblem) => void;
}

/** The live preview; `data-drawn` counts finished draws so tests and tools can wait for one. */
export const PreviewCanvas = ({ request, label, onProblem }: PreviewCanvasProps) => {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const generation = useRef(0);
  const drawn = useRef(0);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    generation.current += 1;
    const mine = generation.current;
    drawPreview(canvas, request, () => mine === generation.current)
      .then((done) => {
        if (!done) return;
        drawn.current += 1;
        canvas.dataset.drawn = String(drawn.current);
      })
      .catch((error: unknown) => onProblem(toProblem(error)));
  }, [request, onProblem]);

  return (
    <canvas
      ref={canvasRef}
      class="preview"
      role="img"
      aria-label={label}
      width={request.base.width}
      height={request.base.height}
      data-testid="preview-canvas"
    />
  );
};
