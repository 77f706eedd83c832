#pragma once
// Output to a terminal shows names from data and model files as text: a control character
// (ESC starts the sequences that recolour, move or retitle a terminal) is printed as an escape
// such as \e. Output to a file or a pipe is left exactly as written.
namespace dense::cli {

// Filters std::cout and std::cerr when they are terminals; line breaks, tabs and the carriage
// return of the progress bar pass.
void escape_control_characters_on_terminals();

}  // namespace dense::cli
