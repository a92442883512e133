import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { DeliveryChoicePicker } from './DeliveryChoicePicker';

/** The DeliveryChoicePicker form field for the new frontend system. */
export const deliveryChoicePickerField = createFormField({
  name: 'DeliveryChoicePicker',
  component: DeliveryChoicePicker,
});
