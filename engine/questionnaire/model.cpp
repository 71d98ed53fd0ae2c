#include "questionnaire/model.h"

namespace tryghed::questionnaire {

std::string_view ItemTypeName(ItemType type) {
  switch (type) {
    case ItemType::kSingle: return "single";
    case ItemType::kYesNo: return "yesno";
    case ItemType::kMultiple: return "multiple";
    case ItemType::kNumber: return "number";
    case ItemType::kText: return "text";
    case ItemType::kPlace: return "place";
  }
  return "single";
}

bool IsSingleCoded(ItemType type) { return type == ItemType::kSingle || type == ItemType::kYesNo; }
bool IsMultiCoded(ItemType type) { return type == ItemType::kMultiple || type == ItemType::kPlace; }
bool HasOptions(ItemType type) { return IsSingleCoded(type) || IsMultiCoded(type); }

const Option* Item::FindOption(core::Code code) const {
  for (const Option& o : options) {
    if (o.code == code) return &o;
  }
  return nullptr;
}

std::vector<core::Code> Item::SubstantiveCodes() const {
  std::vector<core::Code> codes;
  for (const Option& o : options) {
    if (!o.missing) codes.push_back(o.code);
  }
  return codes;
}

const Item* Questionnaire::FindItem(std::string_view item_id) const {
  for (const Section& s : sections) {
    for (const Item& item : s.items) {
      if (item.id == item_id) return &item;
    }
  }
  return nullptr;
}

int Questionnaire::ItemOrdinal(std::string_view item_id) const {
  int n = 0;
  for (const Section& s : sections) {
    for (const Item& item : s.items) {
      if (item.id == item_id) return n;
      ++n;
    }
  }
  return -1;
}

int Questionnaire::ItemCount() const {
  int n = 0;
  for (const Section& s : sections) n += static_cast<int>(s.items.size());
  return n;
}

}  // namespace tryghed::questionnaire
