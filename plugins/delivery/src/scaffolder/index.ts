export { DeliveryChoicePicker } from './DeliveryChoicePicker';
export type {
  DeliveryChoiceKind,
  DeliveryChoicePickerUiOptions,
} from './DeliveryChoicePicker';
