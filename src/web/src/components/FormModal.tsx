import { Form, Modal, type FormInstance } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { InlineError } from './Problem.tsx';

/**
 * A form in a modal that is saved by one request: OK submits the form, the fields are disabled while
 * the request runs, its error stays in the modal (the user fixes the field and tries again), each
 * opening starts from `initialValues` with no error left from the last time, and a closed modal keeps
 * no typed value in the page.
 */
export function FormModal<V extends object>({
  name,
  open,
  title,
  okText,
  width,
  intro,
  form,
  initialValues,
  onFinish,
  request,
  onClose,
  errorTestId,
  onValuesChange,
  children,
}: {
  /** Prefixes the ids of the fields: several of these forms sit hidden on one page, labels must find theirs. */
  name: string;
  open: boolean;
  title: ReactNode;
  okText: string;
  width?: number;
  intro?: ReactNode;
  form: FormInstance<V>;
  initialValues?: Partial<V>;
  onFinish: (values: V) => void;
  /** The request that saves (a TanStack mutation): its progress and error, forgotten at each opening. */
  request: { isPending: boolean; error: unknown; reset: () => void };
  onClose: () => void;
  errorTestId?: string;
  /** What the user changed (antd's onValuesChange): e.g. to forget a refusal shown at a field without rules. */
  onValuesChange?: (changed: Partial<V>) => void;
  children: ReactNode;
}) {
  const { isPending: pending, error, reset } = request;
  useEffect(() => {
    // Nothing typed stays in the page once the modal is closed (a secret's value above all).
    if (!open) {
      form.resetFields();
      return;
    }
    reset();
    form.resetFields();
    if (initialValues) form.setFieldsValue(initialValues as Parameters<typeof form.setFieldsValue>[0]);
    // initialValues is read at opening only: a parent re-render must not wipe what the user typed.
  }, [open, form, reset]);
  return (
    <Modal
      open={open}
      width={width}
      title={title}
      okText={okText}
      confirmLoading={pending}
      onCancel={onClose}
      onOk={() => form.submit()}
      forceRender
    >
      {intro}
      <Form
        name={name}
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onValuesChange={onValuesChange}
        disabled={pending}
      >
        {children}
      </Form>
      {error !== null && error !== undefined && (
        <div data-testid={errorTestId} style={{ maxHeight: 260, overflow: 'auto', whiteSpace: 'pre-wrap' }}>
          <InlineError error={error} />
        </div>
      )}
    </Modal>
  );
}
